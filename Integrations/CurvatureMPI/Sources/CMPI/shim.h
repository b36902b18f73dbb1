// Static inline accessors for the MPI handles that are macros in Open MPI (and constants of other
// types in MPICH), so that Swift can read them: MPI_COMM_WORLD, MPI_DOUBLE, MPI_SUM, MPI_IN_PLACE,
// MPI_ERRORS_RETURN. Nothing here stores a handle; every call re-reads it.
#ifndef CURVATURE_MPI_SHIM_H
#define CURVATURE_MPI_SHIM_H

#include <mpi.h>

static inline MPI_Comm curvature_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype curvature_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Op curvature_mpi_sum(void) { return MPI_SUM; }
static inline void *curvature_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline MPI_Datatype curvature_mpi_int(void) { return MPI_INT; }
static inline MPI_Datatype curvature_mpi_int64(void) { return MPI_INT64_T; }
static inline MPI_Op curvature_mpi_max(void) { return MPI_MAX; }
static inline MPI_Errhandler curvature_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline int curvature_mpi_success(void) { return MPI_SUCCESS; }
static inline int curvature_mpi_thread_serialized(void) { return MPI_THREAD_SERIALIZED; }
static inline int curvature_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }

#endif
