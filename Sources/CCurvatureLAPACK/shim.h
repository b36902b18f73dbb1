// The system BLAS and LAPACK of the SystemLAPACK trait: CBLAS and LAPACKE from OpenBLAS and the
// reference LAPACKE (Debian: libopenblas-dev, liblapacke-dev).
#include <cblas.h>
#include <lapacke.h>
