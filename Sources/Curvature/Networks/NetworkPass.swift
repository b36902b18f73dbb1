/// The forward, backward and curvature passes of a ``Network`` on one batch, with the
/// intermediate activations kept for reuse: a gradient at θ reuses the forward pass of a value
/// at θ, and Hessian-vector and Gauss-Newton products at θ reuse both.
///
/// With Zₗ = Aₗ₋₁Wₗᵀ + 1bₗᵀ, Aₗ = σ(Zₗ), the loss f = (1/B) Σᵢ ℓ(a_{L,i}, tᵢ), and a direction
/// V = (Vₗ, vₗ) of the parameters, the passes are (Pearlmutter 1994, the R-operator;
/// Schraudolph 2002 for the Gauss-Newton product):
/// - backward: dA_L = ∇ℓ/B; dZₗ = dAₗ ⊙ σ'(Zₗ); ∇Wₗ = dZₗᵀAₗ₋₁; ∇bₗ = 1ᵀdZₗ; dAₗ₋₁ = dZₗWₗ;
/// - forward tangent (J·V): RZₗ = RAₗ₋₁Wₗᵀ + Aₗ₋₁Vₗᵀ + 1vₗᵀ, RAₗ = σ'(Zₗ) ⊙ RZₗ, RA₀ = 0;
/// - Gauss-Newton: the backward pass seeded with dA_L = H_ℓ·RA_L/B (H_ℓ the loss Hessian);
/// - exact Hessian: RdA_L = H_ℓ·RA_L/B; RdZₗ = RdAₗ ⊙ σ'(Zₗ) + dAₗ ⊙ σ''(Zₗ) ⊙ RZₗ;
///   R∇Wₗ = RdZₗᵀAₗ₋₁ + dZₗᵀRAₗ₋₁; R∇bₗ = 1ᵀRdZₗ; RdAₗ₋₁ = RdZₗWₗ + dZₗVₗ.
/// Each is a few matrix products per layer: a gradient costs three, a Gauss-Newton product
/// four, a Hessian-vector product six (the gradient's backward pass is reused).
final class NetworkPass {
  let network: Network
  /// The batch inputs (rows × n₀, row-major).
  let x: [Double]
  let rows: Int
  /// The point of the cached forward pass, and of the cached backward pass.
  var forwardPoint: Vector?
  var backwardPoint: Vector?
  /// Zₗ and Aₗ of the cached forward pass.
  var z: [[Double]]
  var a: [[Double]]
  /// dAₗ and dZₗ of the cached backward pass (scaled by 1/B).
  var da: [[Double]]
  var dz: [[Double]]

  init(network: Network, inputs: [Double], rows: Int) {
    precondition(
      inputs.count == rows * network.inputWidth,
      "dimension mismatch: \(inputs.count) inputs for \(rows) rows of \(network.inputWidth)")
    self.network = network
    x = inputs
    self.rows = rows
    let empty = network.denseLayers.map { _ in [Double]() }
    z = empty
    a = empty
    da = empty
    dz = empty
  }

  var layers: [Network.DenseLayer] { network.denseLayers }

  /// Z and A at θ into the cache (nothing to do when the cache holds θ already).
  func forward(_ theta: Vector) {
    if let p = forwardPoint, p == theta { return }
    backwardPoint = nil
    theta.withUnsafeBufferPointer { t in
      for (l, layer) in layers.enumerated() {
        var zl = [Double](repeating: 0, count: rows * layer.outputs)
        input(l) { ain in
          zl.withUnsafeMutableBufferPointer { zp in
            affine(layer, t.baseAddress!, input: ain, into: zp.baseAddress!)
          }
        }
        var al = zl
        if layer.activation != .identity {
          zl.withUnsafeBufferPointer { zp in
            al.withUnsafeMutableBufferPointer { ap in
              layer.activation.apply(zp.baseAddress!, ap.baseAddress!, count: zl.count)
            }
          }
        }
        z[l] = zl
        a[l] = al
      }
    }
    forwardPoint = theta
  }

  /// Calls `body` with Aₗ₋₁ (the batch inputs for the first layer).
  func input<R>(_ l: Int, _ body: (UnsafePointer<Double>) -> R) -> R {
    if l == 0 { return x.withUnsafeBufferPointer { body($0.baseAddress!) } }
    return a[l - 1].withUnsafeBufferPointer { body($0.baseAddress!) }
  }

  /// out ← in·Wᵀ + 1bᵀ (out zero on entry) for one layer, W and b read from θ.
  func affine(
    _ layer: Network.DenseLayer, _ theta: UnsafePointer<Double>, input ain: UnsafePointer<Double>,
    into out: UnsafeMutablePointer<Double>
  ) {
    let (nIn, nOut) = (layer.inputs, layer.outputs)
    blockedProductKernel(
      m: rows, n: nOut, p: nIn, alpha: 1, a: ain, aRowStride: nIn, aColumnStride: 1,
      b: theta + layer.weight.offset, bRowStride: 1, bColumnStride: nIn, c: out,
      cRowStride: nOut)
    if let bias = layer.bias {
      let b = theta + bias.offset
      for i in 0..<rows {
        let row = out + i * nOut
        for j in 0..<nOut { row[j] += b[j] }
      }
    }
  }

  /// Σᵢ ℓ(a_{L,i}, tᵢ)/B at the cached forward pass, and the seed dA_L = ∇ℓ/B when asked.
  func dataLoss(targets: [Double], loss: OutputLoss, seed: inout [Double]?) -> Double {
    let width = network.outputWidth
    let scale = 1 / Double(Swift.max(rows, 1))
    let out = a[layers.count - 1]
    precondition(
      targets.count == out.count,
      "dimension mismatch: \(targets.count) targets for \(rows) rows of \(width) outputs")
    var total = 0.0
    if seed != nil {
      var g = [Double](repeating: 0, count: out.count)
      total = out.withUnsafeBufferPointer { zp in
        targets.withUnsafeBufferPointer { tp in
          g.withUnsafeMutableBufferPointer { gp in
            loss.evaluate(
              outputs: zp.baseAddress!, targets: tp.baseAddress!, rows: rows, width: width,
              gradient: gp.baseAddress!, scale: scale)
          }
        }
      }
      seed = g
    } else {
      total = out.withUnsafeBufferPointer { zp in
        targets.withUnsafeBufferPointer { tp in
          loss.evaluate(
            outputs: zp.baseAddress!, targets: tp.baseAddress!, rows: rows, width: width,
            gradient: nil, scale: scale)
        }
      }
    }
    return total * scale
  }

  /// The backward pass from dA_L = `seed` at the cached forward point: the gradient of the
  /// parameters into `gradient` (zeroed here), and, when `keep`, dAₗ and dZₗ into the cache.
  func backward(
    _ theta: Vector, seed: [Double], into gradient: inout Vector, keep: Bool
  ) {
    var dA = seed
    gradient = .zeros(network.parameterCount)
    theta.withUnsafeBufferPointer { t in
      gradient.withUnsafeMutableBufferPointer { g in
        for l in stride(from: layers.count - 1, through: 0, by: -1) {
          let layer = layers[l]
          let (nIn, nOut) = (layer.inputs, layer.outputs)
          var dZ = dA
          multiplyByDerivative(l, &dZ)
          dZ.withUnsafeBufferPointer { dzp in
            let dzb = dzp.baseAddress!
            input(l) { ain in
              // ∇Wₗ = dZₗᵀAₗ₋₁.
              blockedProductKernel(
                m: nOut, n: nIn, p: rows, alpha: 1, a: dzb, aRowStride: 1,
                aColumnStride: nOut, b: ain, bRowStride: nIn,
                c: g.baseAddress! + layer.weight.offset,
                cRowStride: nIn)
            }
            if let bias = layer.bias {
              columnSums(dzb, columns: nOut, into: g.baseAddress! + bias.offset)
            }
          }
          if keep {
            da[l] = dA
            dz[l] = dZ
          }
          if l > 0 {
            dA = [Double](repeating: 0, count: rows * nIn)
            dZ.withUnsafeBufferPointer { dzp in
              dA.withUnsafeMutableBufferPointer { dap in
                // dAₗ₋₁ = dZₗWₗ.
                blockedProductKernel(
                  m: rows, n: nIn, p: nOut, alpha: 1, a: dzp.baseAddress!, aRowStride: nOut,
                  aColumnStride: 1, b: t.baseAddress! + layer.weight.offset, bRowStride: nIn,
                  c: dap.baseAddress!, cRowStride: nIn)
              }
            }
          }
        }
      }
    }
    if keep { backwardPoint = theta }
  }

  /// u ← u ⊙ σ'(Zₗ) at the cached forward pass.
  func multiplyByDerivative(_ l: Int, _ u: inout [Double]) {
    let act = layers[l].activation
    if act == .identity { return }
    z[l].withUnsafeBufferPointer { zp in
      a[l].withUnsafeBufferPointer { ap in
        u.withUnsafeMutableBufferPointer { up in
          act.multiplyByDerivative(
            up.baseAddress!, z: zp.baseAddress!, a: ap.baseAddress!, count: up.count)
        }
      }
    }
  }

  /// out[j] = Σᵢ m[i, j] for the `rows` × `columns` row-major m.
  func columnSums(
    _ m: UnsafePointer<Double>, columns: Int, into out: UnsafeMutablePointer<Double>
  ) {
    for j in 0..<columns { out[j] = 0 }
    for i in 0..<rows {
      let row = m + i * columns
      for j in 0..<columns { out[j] += row[j] }
    }
  }

  /// The forward tangent RZₗ, RAₗ for the direction v at the cached forward point.
  func tangent(_ theta: Vector, direction v: Vector) -> (rz: [[Double]], ra: [[Double]]) {
    var rz = [[Double]]()
    var ra = [[Double]]()
    theta.withUnsafeBufferPointer { t in
      v.withUnsafeBufferPointer { vp in
        for (l, layer) in layers.enumerated() {
          let (nIn, nOut) = (layer.inputs, layer.outputs)
          var r = [Double](repeating: 0, count: rows * nOut)
          r.withUnsafeMutableBufferPointer { rp in
            // Aₗ₋₁Vₗᵀ + 1vₗᵀ, then RAₗ₋₁Wₗᵀ.
            input(l) { ain in affine(layer, vp.baseAddress!, input: ain, into: rp.baseAddress!) }
            if l > 0 {
              ra[l - 1].withUnsafeBufferPointer { rap in
                blockedProductKernel(
                  m: rows, n: nOut, p: nIn, alpha: 1, a: rap.baseAddress!, aRowStride: nIn,
                  aColumnStride: 1, b: t.baseAddress! + layer.weight.offset, bRowStride: 1,
                  bColumnStride: nIn, c: rp.baseAddress!, cRowStride: nOut)
              }
            }
          }
          rz.append(r)
          multiplyByDerivative(l, &r)
          ra.append(r)
        }
      }
    }
    return (rz, ra)
  }

  /// H_ℓ·u/B at the cached outputs.
  func lossHessian(_ u: [Double], loss: OutputLoss) -> [Double] {
    let out = a[layers.count - 1]
    var r = [Double](repeating: 0, count: u.count)
    out.withUnsafeBufferPointer { zp in
      u.withUnsafeBufferPointer { up in
        r.withUnsafeMutableBufferPointer { rp in
          loss.applyHessian(
            outputs: zp.baseAddress!, direction: up.baseAddress!, into: rp.baseAddress!,
            rows: rows, width: network.outputWidth, scale: 1 / Double(Swift.max(rows, 1)))
        }
      }
    }
    return r
  }

  /// G·v (data term only) at the cached forward point.
  func gaussNewtonProduct(_ theta: Vector, direction v: Vector, loss: OutputLoss) -> Vector {
    let (_, ra) = tangent(theta, direction: v)
    var out = Vector()
    backward(theta, seed: lossHessian(ra[layers.count - 1], loss: loss), into: &out, keep: false)
    return out
  }

  /// ∇²f·v (data term only) at the cached forward and backward point.
  func hessianVectorProduct(_ theta: Vector, direction v: Vector, loss: OutputLoss) -> Vector {
    precondition(backwardPoint == theta, "the backward pass at θ must be cached first")
    let (rz, ra) = tangent(theta, direction: v)
    var out = Vector.zeros(network.parameterCount)
    var rdA = lossHessian(ra[layers.count - 1], loss: loss)
    theta.withUnsafeBufferPointer { t in
      v.withUnsafeBufferPointer { vp in
        out.withUnsafeMutableBufferPointer { o in
          for l in stride(from: layers.count - 1, through: 0, by: -1) {
            let layer = layers[l]
            let (nIn, nOut) = (layer.inputs, layer.outputs)
            // RdZₗ = RdAₗ ⊙ σ' + dAₗ ⊙ σ'' ⊙ RZₗ.
            var rdZ = rdA
            multiplyByDerivative(l, &rdZ)
            if !layer.activation.isPiecewiseLinear {
              let act = layer.activation
              let (zl, al, dal, rzl) = (z[l], a[l], da[l], rz[l])
              for k in 0..<rdZ.count {
                rdZ[k] += dal[k] * act.secondDerivative(z: zl[k], a: al[k]) * rzl[k]
              }
            }
            rdZ.withUnsafeBufferPointer { rdzp in
              dz[l].withUnsafeBufferPointer { dzp in
                let wOut = o.baseAddress! + layer.weight.offset
                input(l) { ain in
                  blockedProductKernel(
                    m: nOut, n: nIn, p: rows, alpha: 1, a: rdzp.baseAddress!, aRowStride: 1,
                    aColumnStride: nOut, b: ain, bRowStride: nIn, c: wOut, cRowStride: nIn)
                }
                if l > 0 {
                  ra[l - 1].withUnsafeBufferPointer { rap in
                    blockedProductKernel(
                      m: nOut, n: nIn, p: rows, alpha: 1, a: dzp.baseAddress!, aRowStride: 1,
                      aColumnStride: nOut, b: rap.baseAddress!, bRowStride: nIn, c: wOut,
                      cRowStride: nIn)
                  }
                }
                if let bias = layer.bias {
                  columnSums(rdzp.baseAddress!, columns: nOut, into: o.baseAddress! + bias.offset)
                }
                if l > 0 {
                  var next = [Double](repeating: 0, count: rows * nIn)
                  next.withUnsafeMutableBufferPointer { np in
                    // RdAₗ₋₁ = RdZₗWₗ + dZₗVₗ.
                    blockedProductKernel(
                      m: rows, n: nIn, p: nOut, alpha: 1, a: rdzp.baseAddress!, aRowStride: nOut,
                      aColumnStride: 1, b: t.baseAddress! + layer.weight.offset, bRowStride: nIn,
                      c: np.baseAddress!, cRowStride: nIn)
                    blockedProductKernel(
                      m: rows, n: nIn, p: nOut, alpha: 1, a: dzp.baseAddress!, aRowStride: nOut,
                      aColumnStride: 1, b: vp.baseAddress! + layer.weight.offset, bRowStride: nIn,
                      c: np.baseAddress!, cRowStride: nIn)
                  }
                  rdA = next
                }
              }
            }
          }
        }
      }
    }
    return out
  }

  /// Per-layer inputs Aₗ₋₁ and per-sample output gradients ∂ℓᵢ/∂zₗ at the cached forward point:
  /// from targets drawn from the model (`sampled`) or the data's own (the cached backward pass).
  func statistics(_ theta: Vector, fisher: FisherEstimate, loss: OutputLoss, seed: UInt64)
    -> [LayerStatistics]
  {
    let scale = Double(rows)
    var gz = [[Double]](repeating: [], count: layers.count)
    switch fisher {
    case .empirical:
      precondition(backwardPoint == theta, "the backward pass at θ must be cached first")
      for l in 0..<layers.count { gz[l] = dz[l].map { $0 * scale } }
    case .sampled:
      var generator = SplitMix64(seed: seed)
      let out = a[layers.count - 1]
      var gA = [Double](repeating: 0, count: out.count)
      out.withUnsafeBufferPointer { zp in
        gA.withUnsafeMutableBufferPointer { gp in
          loss.sampledGradient(
            outputs: zp.baseAddress!, into: gp.baseAddress!, rows: rows,
            width: network.outputWidth, generator: &generator)
        }
      }
      theta.withUnsafeBufferPointer { t in
        for l in stride(from: layers.count - 1, through: 0, by: -1) {
          let layer = layers[l]
          var g = gA
          multiplyByDerivative(l, &g)
          gz[l] = g
          if l > 0 {
            gA = [Double](repeating: 0, count: rows * layer.inputs)
            g.withUnsafeBufferPointer { gp in
              gA.withUnsafeMutableBufferPointer { ap in
                blockedProductKernel(
                  m: rows, n: layer.inputs, p: layer.outputs, alpha: 1, a: gp.baseAddress!,
                  aRowStride: layer.outputs, aColumnStride: 1,
                  b: t.baseAddress! + layer.weight.offset, bRowStride: layer.inputs,
                  c: ap.baseAddress!, cRowStride: layer.inputs)
              }
            }
          }
        }
      }
    }
    return layers.enumerated().map { l, layer in
      LayerStatistics(
        layer: l,
        inputs: Matrix(rows: rows, columns: layer.inputs, storage: l == 0 ? x : a[l - 1]),
        outputGradients: Matrix(rows: rows, columns: layer.outputs, storage: gz[l]),
        weight: layer.weight, bias: layer.bias)
    }
  }
}
