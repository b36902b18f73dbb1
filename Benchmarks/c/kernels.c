/*
 * Plain C baseline for `curvature bench --suite kernels`.
 *
 * Times dot, axpy, scale and norm on 10^6 and 10^7 doubles as single plain loops, the way a
 * C programmer writes them first, and prints the median of repeated calls (after one warm-up
 * call) in the same table as the Swift tool: kernel, n, median ms, GB/s with 10^9 bytes per
 * second, counting 16n bytes for dot and scale, 24n for axpy and 8n for norm.
 *
 * Build and run by hand, with the optimization level of a Swift release build and no
 * -march=native or -ffast-math (Swift does not use them either):
 *
 *     clang -O3 Benchmarks/c/kernels.c -o .build/kernels-c -lm && .build/kernels-c [repeats]
 *
 * Without -ffast-math the compiler keeps the strict left-to-right order of a single-accumulator
 * sum, so dot and norm are not vectorized: they are bound by the add latency, which is exactly
 * what Curvature's four-accumulator kernels avoid.
 */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int k) {
  qsort(v, (size_t)k, sizeof(double), compare);
  return k % 2 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2]);
}

__attribute__((noinline)) static double dot(const double *x, const double *y, long n) {
  double s = 0;
  for (long i = 0; i < n; i++) s += x[i] * y[i];
  return s;
}

__attribute__((noinline)) static void axpy(double a, const double *x, double *y, long n) {
  for (long i = 0; i < n; i++) y[i] += a * x[i];
}

__attribute__((noinline)) static void scale(double a, double *x, long n) {
  for (long i = 0; i < n; i++) x[i] *= a;
}

__attribute__((noinline)) static double norm(const double *x, long n) {
  double s = 0;
  for (long i = 0; i < n; i++) s += x[i] * x[i];
  return sqrt(s);
}

int main(int argc, char **argv) {
  int repeats = argc > 1 ? atoi(argv[1]) : 30;
  if (repeats < 1) repeats = 1;
  const long sizes[] = {1000000L, 10000000L};
  const char *names[] = {"dot", "axpy", "scale", "norm"};
  const int bytes_per_element[] = {16, 24, 16, 8};
  double *samples = malloc(sizeof(double) * (size_t)repeats);
  double checksum = 0;
  printf("%-6s  %8s  %9s  %6s\n", "kernel", "n", "median ms", "GB/s");
  printf("------  --------  ---------  ------\n");
  for (int s = 0; s < 2; s++) {
    long n = sizes[s];
    double *x = malloc(sizeof(double) * (size_t)n);
    double *y = malloc(sizeof(double) * (size_t)n);
    for (long i = 0; i < n; i++) {
      x[i] = 1 + (double)(i % 7) * 0.125;
      y[i] = 0.5 - (double)(i % 5) * 0.0625;
    }
    for (int k = 0; k < 4; k++) {
      for (int r = 0; r <= repeats; r++) {
        double t0 = now();
        switch (k) {
          case 0: checksum += dot(x, y, n); break;
          case 1: axpy(1e-9, x, y, n); break;
          case 2: scale(r % 2 == 0 ? 2.0 : 0.5, x, n); break;
          default: checksum += norm(x, n); break;
        }
        double t = now() - t0;
        if (r > 0) samples[r - 1] = t; /* call 0 is the warm-up */
      }
      double m = median(samples, repeats);
      printf("%-6s  %8ld  %9.4f  %6.2f\n", names[k], n, m * 1e3,
             (double)bytes_per_element[k] * (double)n / m / 1e9);
    }
    checksum += x[0] + y[n - 1];
    free(x);
    free(y);
  }
  fprintf(stderr, "checksum %g\n", checksum);
  free(samples);
  return 0;
}
