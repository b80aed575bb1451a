import Foundation
FileHandle.standardError.write(Data("bench-engine: not implemented yet.\n".utf8))
exit(2)
