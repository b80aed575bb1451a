import Foundation
FileHandle.standardError.write(Data("bench-convert: not implemented yet.\n".utf8))
exit(2)
