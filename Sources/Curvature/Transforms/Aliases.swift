/// Ready-made optimizers built by chaining transformations, as in Optax's `alias.py`.
public enum Optimizers {
  /// Stochastic gradient descent with optional momentum: trace(β) then −η.
  public static func sgd(learningRate: Schedule, momentum: Double? = nil, nesterov: Bool = false)
    -> AnyGradientTransformation
  {
    if let momentum {
      return AnyGradientTransformation(
        chain {
          Trace(decay: momentum, nesterov: nesterov)
          ScaleByLearningRate(learningRate)
        }, name: nesterov ? "sgd-nesterov" : "sgd-momentum")
    }
    return AnyGradientTransformation(ScaleByLearningRate(learningRate), name: "sgd")
  }

  /// Adam: scale-by-Adam then −η (Kingma & Ba 2015).
  public static func adam(
    learningRate: Schedule, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8
  ) -> Chain<ScaleByAdam, ScaleByLearningRate> {
    chain {
      ScaleByAdam(beta1: beta1, beta2: beta2, epsilon: epsilon)
      ScaleByLearningRate(learningRate)
    }
  }

  /// AdamW: scale-by-Adam, add λ·m⊙x, then −η (Loshchilov & Hutter 2019; Optax's `adamw`).
  ///
  /// Without a layout every element is decayed (m = 1); with one, only the blocks labelled
  /// "weight" (m is 1 on the weights of a ``Network`` and 0 on its biases), as
  /// ``AddDecayedWeights/init(_:layout:labels:)``.
  public static func adamw(
    learningRate: Schedule, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    weightDecay: Double = 1e-4, layout: ParameterLayout? = nil
  ) -> Chain<Chain<ScaleByAdam, AddDecayedWeights>, ScaleByLearningRate> {
    let decay = layout.map { AddDecayedWeights(weightDecay, layout: $0) }
    return chain {
      ScaleByAdam(beta1: beta1, beta2: beta2, epsilon: epsilon)
      decay ?? AddDecayedWeights(weightDecay)
      ScaleByLearningRate(learningRate)
    }
  }

  /// RMSProp: scale-by-RMS then −η.
  public static func rmsprop(learningRate: Schedule, decay: Double = 0.9, epsilon: Double = 1e-8)
    -> Chain<ScaleByRMS, ScaleByLearningRate>
  {
    chain {
      ScaleByRMS(decay: decay, epsilon: epsilon)
      ScaleByLearningRate(learningRate)
    }
  }

  /// AdaGrad: scale-by-root-sum-of-squares then −η.
  public static func adagrad(
    learningRate: Schedule, initialAccumulator: Double = 0.1, epsilon: Double = 1e-7
  ) -> Chain<ScaleByRootSumOfSquares, ScaleByLearningRate> {
    chain {
      ScaleByRootSumOfSquares(initialAccumulator: initialAccumulator, epsilon: epsilon)
      ScaleByLearningRate(learningRate)
    }
  }
}

extension Optimizers {
  /// AdaHessian: scale-by-AdaHessian then −η (Yao et al. 2021).
  public static func adahessian(
    learningRate: Schedule, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-4,
    updateInterval: Int = 1
  ) -> Chain<ScaleByAdaHessian, ScaleByLearningRate> {
    chain {
      ScaleByAdaHessian(
        beta1: beta1, beta2: beta2, epsilon: epsilon, updateInterval: updateInterval)
      ScaleByLearningRate(learningRate)
    }
  }

  /// Sophia-H: scale-by-Sophia, decoupled weight decay λ, then −η (Liu et al. 2023).
  public static func sophia(
    learningRate: Schedule, beta1: Double = 0.965, beta2: Double = 0.99, gamma: Double = 0.01,
    weightDecay: Double = 0, updateInterval: Int = 10
  ) -> Chain<Chain<ScaleBySophia, AddDecayedWeights>, ScaleByLearningRate> {
    chain {
      ScaleBySophia(beta1: beta1, beta2: beta2, gamma: gamma, updateInterval: updateInterval)
      AddDecayedWeights(weightDecay)
      ScaleByLearningRate(learningRate)
    }
  }
}

extension Optimizers {
  /// Hessian-free Newton-CG with Martens' defaults on Gauss-Newton curvature.
  public static func hessianFree(
    curvature: HessianFreeNewton.Curvature = .gaussNewton, initialDamping: Double = 1,
    maxCGIterations: Int = 250
  ) -> HessianFreeNewton {
    HessianFreeNewton(
      curvature: curvature, initialDamping: initialDamping, maxCGIterations: maxCGIterations)
  }

  /// Damped Gauss-Newton: CG on (G + λI)p = −g with a fixed small λ, solved to a relative
  /// residual of 10⁻⁶, no warm start, followed by the Armijo safeguard.
  public static func gaussNewton(damping: Double = 1e-8) -> HessianFreeNewton {
    HessianFreeNewton(
      curvature: .gaussNewton, initialDamping: damping, adaptiveDamping: false, warmStartDecay: 0,
      cgTolerance: 1e-6, martensStopping: false, cgBacktracking: false)
  }

  /// Levenberg-Marquardt over Gauss-Newton products: CG on (G + λI)p = −g with λ adapted from
  /// the reduction ratio (×3/2 below 1/4, ×2/3 above 3/4), no warm start.
  public static func levenbergMarquardt(initialDamping: Double = 1) -> HessianFreeNewton {
    HessianFreeNewton(
      curvature: .gaussNewton, initialDamping: initialDamping, adaptiveDamping: true,
      warmStartDecay: 0, cgTolerance: 1e-6, martensStopping: false, cgBacktracking: false)
  }
}
