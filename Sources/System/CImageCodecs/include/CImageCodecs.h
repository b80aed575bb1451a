#ifndef FEDNC_CIMAGECODECS_H
#define FEDNC_CIMAGECODECS_H
/// Placeholder: the JPEG/PNG wrappers whose libjpeg/libpng error exits longjmp land here (Imaging issue).
int fednc_codecs_version(void);
#endif
