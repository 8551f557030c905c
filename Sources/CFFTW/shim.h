// FFTW 3 (double precision) for Swift. Nothing else lives here; WukongFFT wraps it.
#include <fftw3.h>
