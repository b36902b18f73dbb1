import Curvature
import CurvatureProblems
import Foundation
import Testing

/// The second-order methods reuse their vectors across iterations (Krylov workspaces held for the
/// whole solve, trial points written into the same buffers, buffers swapped on acceptance). These
/// tests pin the outcome of a set of solves (iteration and evaluation counts, termination, f and
/// the final x to 1e-12) to the values recorded before the buffer reuse, so the reuse cannot change
/// a single iterate. `CURVATURE_PRINT_FINGERPRINTS=1` prints the table in source form.
@Suite struct WorkspaceReuseTests {
  /// A solve and the outcome it must reproduce.
  struct Case: Sendable, CustomTestStringConvertible {
    var label: String
    var problem: @Sendable () -> TestProblem
    var method: any MinimizationMethod
    var options: MinimizeOptions
    var testDescription: String { label }
  }

  /// What a solve must reproduce: counts, termination, f and a summary of x (every element for
  /// n ≤ 10; Σxᵢ, Σ(i+1)xᵢ/n and ‖x‖ otherwise).
  struct Fingerprint: Sendable {
    var iterations: Int
    var values: Int
    var gradients: Int
    var products: Int
    var hessians: Int
    var termination: String
    var value: Double
    var x: [Double]
  }

  static func mgh(_ name: String) -> @Sendable () -> TestProblem {
    { MGHProblems.named(name)! }
  }

  /// f(x, y) = x² − y² + y⁴/4 from (1, 0): the iterates reach the saddle (0, 0), where the
  /// second-order check must find the direction y and escape to a minimizer (0, ±√2).
  static let saddle: @Sendable () -> TestProblem = {
    let objective = FunctionObjective(
      dimension: 2,
      value: { x in x[0] * x[0] - x[1] * x[1] + 0.25 * x[1] * x[1] * x[1] * x[1] },
      gradient: { x, g in
        g[0] = 2 * x[0]
        g[1] = -2 * x[1] + x[1] * x[1] * x[1]
        return x[0] * x[0] - x[1] * x[1] + 0.25 * x[1] * x[1] * x[1] * x[1]
      },
      hessianVectorProduct: { x, v, hv in
        hv[0] = 2 * v[0]
        hv[1] = (-2 + 3 * x[1] * x[1]) * v[1]
      })
    return TestProblem(
      name: "saddle", collection: "test", startingPoint: [1, 0], optimalValue: -1,
      source: "test", objective: objective)
  }

  static let cases: [Case] = {
    let plain = MinimizeOptions()
    let short = MinimizeOptions(maxIterations: 4)
    let methods: [(String, any MinimizationMethod)] = [
      ("newton-cg", NewtonCG()),
      ("newton-cg wolfe", NewtonCG(lineSearch: StrongWolfe())),
      (
        "newton-cg jacobi",
        NewtonCG(hessianDiagonal: { x in Vector(count: x.count) { 1 + Swift.abs(x[$0]) } })
      ),
      ("newton-cg eisenstat-walker", NewtonCG(forcing: .eisenstatWalker)),
      ("trust-ncg", TrustRegion(subproblem: .steihaug)),
      ("trust-krylov", TrustRegion(subproblem: .gltr)),
      ("trust-exact", TrustRegion(subproblem: .exact)),
      ("dogleg", TrustRegion(subproblem: .dogleg)),
    ]
    let problems: [(String, @Sendable () -> TestProblem)] = [
      ("rosenbrock", mgh("rosenbrock")),
      ("helical_valley", mgh("helical_valley")),
      ("brown_dennis", mgh("brown_dennis")),
      ("penalty1_n10", mgh("penalty1_n10")),
      ("saddle", saddle),
      ("ext_rosenbrock_n1000", { ScalableProblems.extendedRosenbrock(n: 1000) }),
    ]
    var cases: [Case] = []
    for (m, method) in methods {
      for (p, problem) in problems {
        if (m == "trust-exact" || m == "dogleg") && p == "ext_rosenbrock_n1000" { continue }
        cases.append(Case(label: "\(m) \(p)", problem: problem, method: method, options: plain))
      }
      cases.append(
        Case(
          label: "\(m) rosenbrock limit", problem: mgh("rosenbrock"), method: method, options: short
        ))
    }
    return cases
  }()

  static func fingerprint(_ s: Solution) -> Fingerprint {
    let e = s.statistics.evaluations
    let x: [Double]
    if s.x.count <= 10 {
      x = Array(s.x)
    } else {
      var weighted = 0.0
      for i in 0..<s.x.count { weighted += Double(i + 1) * s.x[i] }
      x = [s.x.sum, weighted / Double(s.x.count), s.x.norm]
    }
    return Fingerprint(
      iterations: s.statistics.iterations, values: e.values, gradients: e.gradients,
      products: e.hessianVectorProducts, hessians: e.hessians,
      termination: "\(s.termination)", value: s.value, x: x)
  }

  @Test(arguments: cases)
  func reproducesTheRecordedSolve(_ c: Case) throws {
    let p = c.problem()
    let s = minimize(p.objective, from: p.startingPoint, using: c.method, options: c.options)
    let got = Self.fingerprint(s)
    if ProcessInfo.processInfo.environment["CURVATURE_PRINT_FINGERPRINTS"] == "1" {
      let xs = got.x.map { "\($0)" }.joined(separator: ", ")
      print(
        "    \"\(c.label)\": Fingerprint(iterations: \(got.iterations), values: \(got.values), gradients: \(got.gradients), products: \(got.products), hessians: \(got.hessians), termination: \"\(got.termination)\", value: \(got.value), x: [\(xs)]),"
      )
    }
    let expected = try #require(Self.recorded[c.label], "no recorded outcome for \(c.label)")
    #expect(got.iterations == expected.iterations, "\(c.label)")
    #expect(got.values == expected.values, "\(c.label)")
    #expect(got.gradients == expected.gradients, "\(c.label)")
    #expect(got.products == expected.products, "\(c.label)")
    #expect(got.hessians == expected.hessians, "\(c.label)")
    #expect(got.termination == expected.termination, "\(c.label)")
    #expect(
      Self.close(got.value, expected.value), "\(c.label): f \(got.value) vs \(expected.value)")
    #expect(got.x.count == expected.x.count, "\(c.label)")
    for (a, b) in zip(got.x, expected.x) {
      #expect(Self.close(a, b), "\(c.label): x \(a) vs \(b)")
    }
  }

  static func close(_ a: Double, _ b: Double) -> Bool {
    a == b || Swift.abs(a - b) <= 1e-12 * Swift.max(1, Swift.abs(a), Swift.abs(b))
  }

  /// Outcomes recorded before the buffer reuse.
  static let recorded: [String: Fingerprint] = [
    "dogleg brown_dennis": Fingerprint(
      iterations: 11, values: 11, gradients: 12, products: 0, hessians: 12,
      termination: "gradientTolerance", value: 85822.20162635634,
      x: [-11.594439904762163, 13.203630051207202, -0.4034394881768595, 0.2367787744557363]),
    "dogleg helical_valley": Fingerprint(
      iterations: 13, values: 13, gradients: 14, products: 0, hessians: 14,
      termination: "gradientTolerance", value: 3.1098326976802943e-25,
      x: [1.0000000000000424, 2.2193839541083553e-13, 3.583945117642659e-13]),
    "dogleg penalty1_n10": Fingerprint(
      iterations: 42, values: 42, gradients: 38, products: 0, hessians: 38,
      termination: "gradientTolerance", value: 7.087652466298053e-05,
      x: [
        0.15792997192307223, 0.15797274801829816, 0.15801552411352426, 0.15805830020874992,
        0.15810107630397593, 0.15814385239920184, 0.15818662849442786, 0.15822940458965376,
        0.1582721806848797, 0.15831495678010563,
      ]),
    "dogleg rosenbrock limit": Fingerprint(
      iterations: 4, values: 4, gradients: 4, products: 0, hessians: 3,
      termination: "iterationLimit", value: 3.6016754580212824,
      x: [-0.8593723736311534, 0.7005195826089818]),
    "dogleg rosenbrock": Fingerprint(
      iterations: 25, values: 25, gradients: 23, products: 0, hessians: 23,
      termination: "gradientTolerance", value: 5.296469310069502e-25,
      x: [0.9999999999993441, 0.9999999999986566]),
    "dogleg saddle": Fingerprint(
      iterations: 7, values: 7, gradients: 7, products: 14, hessians: 7,
      termination: "gradientTolerance", value: -1.0, x: [0.0, 1.4142135649254235]),
    "newton-cg brown_dennis": Fingerprint(
      iterations: 14, values: 14, gradients: 15, products: 32, hessians: 0,
      termination: "gradientTolerance", value: 85822.20162635631,
      x: [-11.594439904763805, 13.203630051207993, -0.40343948820565223, 0.2367787745055259]),
    "newton-cg eisenstat-walker brown_dennis": Fingerprint(
      iterations: 9, values: 9, gradients: 10, products: 26, hessians: 0,
      termination: "gradientTolerance", value: 85822.20162635634,
      x: [-11.594439904762742, 13.20363005120739, -0.4034394881768535, 0.23677877445573906]),
    "newton-cg eisenstat-walker ext_rosenbrock_n1000": Fingerprint(
      iterations: 41, values: 66, gradients: 42, products: 67, hessians: 0,
      termination: "gradientTolerance", value: 1.4741843107640102e-11,
      x: [999.999742300409, 500.4998709782898, 31.62276845250729]),
    "newton-cg eisenstat-walker helical_valley": Fingerprint(
      iterations: 16, values: 21, gradients: 17, products: 41, hessians: 0,
      termination: "gradientTolerance", value: 4.826411273370451e-22,
      x: [1.000000000002197, -5.136105824904381e-15, -8.308054476991551e-15]),
    "newton-cg eisenstat-walker penalty1_n10": Fingerprint(
      iterations: 64, values: 90, gradients: 65, products: 92, hessians: 0,
      termination: "gradientTolerance", value: 7.088671757699058e-05,
      x: [
        0.1517789709472385, 0.15317725804084614, 0.15457554513445376, 0.1559738322280614,
        0.15737211932166906, 0.1587704064152767, 0.16016869350888435, 0.16156698060249197,
        0.16296526769609962, 0.16436355478970724,
      ]),
    "newton-cg eisenstat-walker rosenbrock limit": Fingerprint(
      iterations: 4, values: 6, gradients: 5, products: 5, hessians: 0,
      termination: "iterationLimit", value: 3.777586987683341,
      x: [-0.9409994430744211, 0.8955338812813447]),
    "newton-cg eisenstat-walker rosenbrock": Fingerprint(
      iterations: 41, values: 66, gradients: 42, products: 67, hessians: 0,
      termination: "gradientTolerance", value: 2.948311070338742e-14,
      x: [0.9999998284305157, 0.9999996561753294]),
    "newton-cg eisenstat-walker saddle": Fingerprint(
      iterations: 7, values: 8, gradients: 8, products: 10, hessians: 0,
      termination: "gradientTolerance", value: -1.0,
      x: [1.0087591814091708e-18, 1.4142135623731733]),
    "newton-cg ext_rosenbrock_n1000": Fingerprint(
      iterations: 41, values: 66, gradients: 42, products: 67, hessians: 0,
      termination: "gradientTolerance", value: 1.4741843107640102e-11,
      x: [999.999742300409, 500.4998709782898, 31.62276845250729]),
    "newton-cg helical_valley": Fingerprint(
      iterations: 16, values: 22, gradients: 17, products: 40, hessians: 0,
      termination: "gradientTolerance", value: 8.28399540985102e-14,
      x: [0.999999999985172, 1.8123520963862026e-07, 2.87730661408991e-07]),
    "newton-cg jacobi brown_dennis": Fingerprint(
      iterations: 15, values: 15, gradients: 16, products: 42, hessians: 0,
      termination: "gradientTolerance", value: 85822.20162635628,
      x: [-11.594439904760245, 13.203630051205813, -0.4034394881757243, 0.23677877445205658]),
    "newton-cg jacobi ext_rosenbrock_n1000": Fingerprint(
      iterations: 41, values: 67, gradients: 42, products: 69, hessians: 0,
      termination: "gradientTolerance", value: 3.5123089109826546e-14,
      x: [999.9999874213471, 500.4999937022822, 31.622776203911844]),
    "newton-cg jacobi helical_valley": Fingerprint(
      iterations: 22, values: 31, gradients: 23, products: 54, hessians: 0,
      termination: "gradientTolerance", value: 1.6059981849369083e-13,
      x: [0.9999999999958264, 2.5240346395799365e-07, 4.0059250985824265e-07]),
    "newton-cg jacobi penalty1_n10": Fingerprint(
      iterations: 64, values: 91, gradients: 65, products: 119, hessians: 0,
      termination: "gradientTolerance", value: 7.087651486310144e-05,
      x: [
        0.1581148827035079, 0.1581148834029032, 0.15811488314233613, 0.1581148827944979,
        0.1581148832007264, 0.1581148927221009, 0.15811520739979962, 0.15811781203651562,
        0.1581300369398165, 0.15817099978535828,
      ]),
    "newton-cg jacobi rosenbrock limit": Fingerprint(
      iterations: 4, values: 7, gradients: 5, products: 6, hessians: 0,
      termination: "iterationLimit", value: 3.2375553472185854,
      x: [-0.7396156734940947, 0.5010647636011132]),
    "newton-cg jacobi rosenbrock": Fingerprint(
      iterations: 41, values: 67, gradients: 42, products: 70, hessians: 0,
      termination: "gradientTolerance", value: 6.162975822039155e-29,
      x: [0.9999999999999922, 0.9999999999999843]),
    "newton-cg jacobi saddle": Fingerprint(
      iterations: 7, values: 8, gradients: 8, products: 10, hessians: 0,
      termination: "gradientTolerance", value: -1.0,
      x: [-3.004294664982738e-20, 1.4142135623731733]),
    "newton-cg penalty1_n10": Fingerprint(
      iterations: 41, values: 53, gradients: 42, products: 66, hessians: 0,
      termination: "gradientTolerance", value: 7.087651473292504e-05,
      x: [
        0.15810808802797804, 0.1581112533699224, 0.15811441871186682, 0.15811758405381118,
        0.15812074939575557, 0.1581239147377, 0.15812708007964438, 0.1581302454215888,
        0.15813341076353316, 0.15813657610547757,
      ]),
    "newton-cg rosenbrock limit": Fingerprint(
      iterations: 4, values: 6, gradients: 5, products: 5, hessians: 0,
      termination: "iterationLimit", value: 3.777586987683341,
      x: [-0.9409994430744211, 0.8955338812813447]),
    "newton-cg rosenbrock": Fingerprint(
      iterations: 41, values: 66, gradients: 42, products: 67, hessians: 0,
      termination: "gradientTolerance", value: 2.948311070338742e-14,
      x: [0.9999998284305157, 0.9999996561753294]),
    "newton-cg saddle": Fingerprint(
      iterations: 7, values: 8, gradients: 8, products: 10, hessians: 0,
      termination: "gradientTolerance", value: -1.0,
      x: [1.0087591814091708e-18, 1.4142135623731733]),
    "newton-cg wolfe brown_dennis": Fingerprint(
      iterations: 14, values: 0, gradients: 75, products: 30, hessians: 0,
      termination: "lineSearchFailed", value: 85822.20162635627,
      x: [-11.59443991712477, 13.203630055402025, -0.4034394866379805, 0.23677877497807004]),
    "newton-cg wolfe ext_rosenbrock_n1000": Fingerprint(
      iterations: 32, values: 0, gradients: 65, products: 49, hessians: 0,
      termination: "gradientTolerance", value: 1.551293810708918e-14,
      x: [999.9999916403947, 500.499995814629, 31.622776337330365]),
    "newton-cg wolfe helical_valley": Fingerprint(
      iterations: 16, values: 0, gradients: 21, products: 40, hessians: 0,
      termination: "gradientTolerance", value: 6.668683465816057e-24,
      x: [1.0000000000002582, -1.1318312586260874e-15, -1.829915791446324e-15]),
    "newton-cg wolfe penalty1_n10": Fingerprint(
      iterations: 35, values: 0, gradients: 45, products: 57, hessians: 0,
      termination: "gradientTolerance", value: 7.08765261903642e-05,
      x: [
        0.1579228502325715, 0.15796723944031293, 0.15801162864805438, 0.15805601785579582,
        0.15810040706353726, 0.1581447962712787, 0.15818918547902014, 0.15823357468676158,
        0.15827796389450305, 0.15832235310224452,
      ]),
    "newton-cg wolfe rosenbrock limit": Fingerprint(
      iterations: 4, values: 0, gradients: 9, products: 5, hessians: 0,
      termination: "iterationLimit", value: 3.237080468839039,
      x: [-0.7977176693075838, 0.6436278529557906]),
    "newton-cg wolfe rosenbrock": Fingerprint(
      iterations: 32, values: 0, gradients: 65, products: 50, hessians: 0,
      termination: "gradientTolerance", value: 1.1845239529959255e-29,
      x: [0.9999999999999966, 0.9999999999999931]),
    "newton-cg wolfe saddle": Fingerprint(
      iterations: 5, values: 1, gradients: 7, products: 8, hessians: 0,
      termination: "gradientTolerance", value: -0.9999999999999998,
      x: [2.268359103684026e-18, 1.4142135630487258]),
    "trust-exact brown_dennis": Fingerprint(
      iterations: 11, values: 11, gradients: 12, products: 0, hessians: 12,
      termination: "gradientTolerance", value: 85822.20162635628,
      x: [-11.594439904762165, 13.203630051207204, -0.40343948817685943, 0.23677877445573625]),
    "trust-exact helical_valley": Fingerprint(
      iterations: 9, values: 9, gradients: 9, products: 0, hessians: 9,
      termination: "gradientTolerance", value: 1.5285063734047078e-15,
      x: [1.000000001089765, 2.3009615701094542e-08, 3.715903024852378e-08]),
    "trust-exact penalty1_n10": Fingerprint(
      // Re-recorded after the triangular solves moved to the factor's own (row-oriented) solves
      // and the small products to the packed kernel's unpacked path: the same counts, x changed
      // by 1e-11 relative at this flat minimizer (rounding only).
      iterations: 41, values: 41, gradients: 38, products: 0, hessians: 38,
      termination: "gradientTolerance", value: 7.087651509487697e-05,
      x: [
        0.1580822752439433, 0.15809109755150227, 0.15809991985906172, 0.15810874216662069,
        0.1581175644741796, 0.15812638678173843, 0.15813520908929748, 0.15814403139685645,
        0.15815285370441526, 0.1581649885629212,
      ]),
    "trust-exact rosenbrock limit": Fingerprint(
      iterations: 4, values: 4, gradients: 4, products: 0, hessians: 3,
      termination: "iterationLimit", value: 3.614724318828891,
      x: [-0.8599917876449924, 0.700196172009868]),
    "trust-exact rosenbrock": Fingerprint(
      iterations: 26, values: 26, gradients: 24, products: 0, hessians: 24,
      termination: "gradientTolerance", value: 1.0872919160467782e-26,
      x: [0.9999999999999163, 0.9999999999998264]),
    "trust-exact saddle": Fingerprint(
      iterations: 6, values: 6, gradients: 6, products: 12, hessians: 6,
      termination: "gradientTolerance", value: -0.9999999999999212,
      x: [3.4211388289180104e-49, -1.4142137608148977]),
    "trust-krylov brown_dennis": Fingerprint(
      iterations: 20, values: 20, gradients: 21, products: 43, hessians: 0,
      termination: "gradientTolerance", value: 85822.20162635628,
      x: [-11.594439904762165, 13.203630051207204, -0.40343948817685954, 0.23677877445573628]),
    "trust-krylov ext_rosenbrock_n1000": Fingerprint(
      iterations: 44, values: 44, gradients: 37, products: 74, hessians: 0,
      termination: "gradientTolerance", value: 1.581078505072264e-13,
      x: [999.999973312105, 500.4999866382406, 31.622775757738083]),
    "trust-krylov helical_valley": Fingerprint(
      iterations: 15, values: 15, gradients: 15, products: 34, hessians: 0,
      termination: "gradientTolerance", value: 7.095274945708326e-20,
      x: [1.0000000000266365, -9.838123925479006e-13, -1.5906210335957412e-12]),
    "trust-krylov penalty1_n10": Fingerprint(
      iterations: 41, values: 41, gradients: 38, products: 63, hessians: 0,
      termination: "gradientTolerance", value: 7.089159122057548e-05,
      x: [
        0.15039833652118528, 0.15209802294457409, 0.1537977093679629, 0.15549739579135166,
        0.15719708221474046, 0.15889676863812924, 0.1605964550615181, 0.16229614148490681,
        0.16399582790829562, 0.1656955143316844,
      ]),
    "trust-krylov rosenbrock limit": Fingerprint(
      iterations: 4, values: 4, gradients: 4, products: 6, hessians: 0,
      termination: "iterationLimit", value: 3.6920910504122832,
      x: [-0.9210657895587132, 0.8443655868895796]),
    "trust-krylov rosenbrock": Fingerprint(
      iterations: 38, values: 38, gradients: 35, products: 63, hessians: 0,
      termination: "gradientTolerance", value: 1.4248800100554526e-29,
      x: [0.9999999999999962, 0.9999999999999925]),
    "trust-krylov saddle": Fingerprint(
      iterations: 7, values: 7, gradients: 7, products: 9, hessians: 0,
      termination: "gradientTolerance", value: -1.0,
      x: [-5.239624618672795e-18, 1.4142135649254235]),
    "trust-ncg brown_dennis": Fingerprint(
      iterations: 20, values: 20, gradients: 21, products: 43, hessians: 0,
      termination: "gradientTolerance", value: 85822.20162635627,
      x: [-11.594439904762144, 13.203630051207192, -0.4034394881768515, 0.23677877445570525]),
    "trust-ncg ext_rosenbrock_n1000": Fingerprint(
      iterations: 51, values: 51, gradients: 47, products: 67, hessians: 0,
      termination: "gradientTolerance", value: 2.1836268568026804e-13,
      x: [999.9999964553582, 500.49999822496954, 31.62277648959239]),
    "trust-ncg helical_valley": Fingerprint(
      iterations: 27, values: 27, gradients: 25, products: 59, hessians: 0,
      termination: "gradientTolerance", value: 4.98933351418846e-15,
      x: [1.0000000025000866, -4.042398020396535e-08, -6.53227838336856e-08]),
    "trust-ncg penalty1_n10": Fingerprint(
      iterations: 44, values: 44, gradients: 40, products: 68, hessians: 0,
      termination: "gradientTolerance", value: 7.087681661758818e-05,
      x: [
        0.15703824595674962, 0.1572788116452289, 0.1575193773337082, 0.15775994302218752,
        0.15800050871066681, 0.15824107439914611, 0.15848164008762547, 0.15872220577610477,
        0.15896277146458404, 0.15920333715306337,
      ]),
    "trust-ncg rosenbrock limit": Fingerprint(
      iterations: 4, values: 4, gradients: 4, products: 6, hessians: 0,
      termination: "iterationLimit", value: 3.6790903860648214,
      x: [-0.9177096655805255, 0.8460381390894531]),
    "trust-ncg rosenbrock": Fingerprint(
      iterations: 29, values: 29, gradients: 27, products: 46, hessians: 0,
      termination: "gradientTolerance", value: 9.269935987707732e-14,
      x: [0.9999996957772002, 0.9999993903385656]),
    "trust-ncg saddle": Fingerprint(
      iterations: 7, values: 7, gradients: 7, products: 9, hessians: 0,
      termination: "gradientTolerance", value: -1.0,
      x: [-5.2396246186727955e-18, 1.4142135649254235]),
  ]
}
