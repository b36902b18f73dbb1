/// How ``MPICommunicator`` forms a sum over the ranks. Every algorithm leaves the same bits on
/// every rank (the `Collective` contract); they differ in cost and in which bits.
public enum MPIReduction: String, Sendable, Hashable, CaseIterable {
  /// `MPI_Reduce` to rank 0, then `MPI_Bcast` of the result: the sum is formed once and copied,
  /// so the ranks agree whatever order the library adds in; about twice the latency of an
  /// allreduce and the same bandwidth as a tree or pipelined reduction. The default.
  case reduceThenBroadcast
  /// `MPI_Gather` of every rank's buffer to rank 0, the sum in rank order
  /// s = ((b⁽⁰⁾ + b⁽¹⁾) + b⁽²⁾) + … there, then `MPI_Bcast`: bit for bit what
  /// `ThreadCollective` computes for the same buffers, independent of the library's
  /// algorithm choices; rank 0 receives (p − 1)·n words, so for tests and small p.
  case rankOrdered
  /// `MPI_Allreduce` with `MPI_SUM`, the library's fastest algorithm (a ring or recursive
  /// halving for long buffers). The MPI standard recommends but does not require that every rank
  /// receive the same bits, so after each sum rank 0's result is compared: the binding stops all
  /// ranks with a message if any rank differs. For benchmarks and for libraries known to agree.
  case native
}
