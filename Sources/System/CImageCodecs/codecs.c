#include "CImageCodecs.h"
int fednc_codecs_version(void) { return 1; }
