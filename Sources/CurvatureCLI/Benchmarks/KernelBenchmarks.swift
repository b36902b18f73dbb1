import Curvature

/// The median time of one level-1 kernel at one vector length.
public struct KernelTiming: Sendable, Hashable, Codable {
  /// `dot`, `axpy`, `scale` or `norm`.
  public var kernel: String
  /// The vector length.
  public var n: Int
  /// The median seconds per call.
  public var seconds: Double
  /// Bytes read and written per call (8 per element per operand touched; a written operand
  /// counts once).
  public var bytes: Int

  /// A timing.
  public init(kernel: String, n: Int, seconds: Double, bytes: Int) {
    self.kernel = kernel
    self.n = n
    self.seconds = seconds
    self.bytes = bytes
  }

  /// Memory throughput in GB/s (10⁹ bytes per second).
  public var gigabytesPerSecond: Double { Double(bytes) / seconds / 1e9 }
}

/// Times Curvature's level-1 kernels: dot (xᵀy, reads 16n bytes), axpy (y ← a·x + y, 24n),
/// scale (x ← a·x, 16n) and norm (‖x‖₂, 8n), reporting the median of repeated calls after one
/// warm-up call. Benchmarks/c/kernels.c measures plain C loops the same way and prints the same
/// table, as a baseline.
public enum KernelBenchmarks {
  /// The kernel names, in report order.
  public static let kernels = ["dot", "axpy", "scale", "norm"]

  /// Times every kernel at every length in `sizes` with `repeats` timed calls each; `progress`
  /// is told after each (kernel, size).
  public static func run(
    sizes: [Int], repeats: Int, progress: ((String) -> Void)? = nil
  ) -> (timings: [KernelTiming], checksum: Double) {
    precondition(repeats >= 1, "repeats must be at least 1, got \(repeats)")
    var timings: [KernelTiming] = []
    var checksum = 0.0
    let clock = ContinuousClock()
    for n in sizes {
      var x = Vector(count: n) { 1 + Double($0 % 7) * 0.125 }
      var y = Vector(count: n) { 0.5 - Double($0 % 5) * 0.0625 }
      for kernel in kernels {
        var samples: [Double] = []
        for r in 0...repeats {
          let start = clock.now
          switch kernel {
          case "dot": checksum += dot(x, y)
          case "axpy": axpy(1e-9, x, &y)
          case "scale": x.scale(by: r % 2 == 0 ? 2 : 0.5)
          default: checksum += x.norm
          }
          let t = durationSeconds(clock.now - start)
          if r > 0 { samples.append(t) }  // call 0 is the warm-up
        }
        let bytesPerElement = ["dot": 16, "axpy": 24, "scale": 16, "norm": 8][kernel]!
        timings.append(
          KernelTiming(
            kernel: kernel, n: n, seconds: SummaryStatistics.median(samples)!,
            bytes: bytesPerElement * n))
        progress?("\(kernel) n = \(n)")
      }
      checksum += x[0] + y[n - 1]
    }
    return (timings, checksum)
  }

  /// The report table: kernel, n, median milliseconds, GB/s (the same columns as the C
  /// baseline's output).
  public static func table(_ timings: [KernelTiming]) -> TextTable {
    var t = TextTable(headers: ["kernel", "n", "median ms", "GB/s"], rightAligned: [1, 2, 3])
    for k in timings {
      t.append([
        k.kernel, String(k.n), formatFixed(k.seconds * 1e3, digits: 4),
        formatFixed(k.gigabytesPerSecond, digits: 2),
      ])
    }
    return t
  }
}
