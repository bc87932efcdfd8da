// swift-tools-version: 6.0
import Foundation
import PackageDescription

// Dependencies point one way, top to bottom:
//   Chapters -> MoE -> NeuralNetworks -> Tensors -> CBLAS
//   Chapters -> Training (fit, evaluate, accuracy matrices) -> MoE, NeuralNetworks
//   Training -> MoE, NeuralNetworks
//   Chapters -> Datasets -> Tensors, CZlib
//   Chapters -> Plotting -> CPNG
//   Chapters -> Lessons (options, figures, progress, cell markers, reports) -> Tensors, Plotting
//   Tensors, Plotting, Lessons, LessonRendering -> Support (formatting, JSON text, atomic files)
//   render-lesson, literate-instrument -> LessonRendering -> Support (no course libraries)

/// One literate chapter: `Chapters/<folder>/main.swift`, built as the executable `chapter-<number>`.
///
/// The lesson source reaches the compiler through `LiterateChapterPlugin`, which adds the cell markers
/// the renderer needs; `BuildAnchor.swift` beside it keeps SwiftPM from dropping a target whose only
/// compiled file is generated. Adding a chapter is one line: `chapter("06", "06-ExpertRegions")`.
func chapter(_ number: String, _ folder: String, dependencies: [Target.Dependency] = []) -> Target {
  .executableTarget(
    name: "chapter-\(number)",
    dependencies: ["Lessons", "Tensors", "NeuralNetworks", "MoE", "Datasets", "Plotting", "Training"] + dependencies,
    path: "Chapters/\(folder)",
    exclude: ["main.swift", "README.md", "\(folder).ipynb"] + existing(["figures"] + exerciseFiles, in: folder),
    plugins: ["LiterateChapterPlugin"])
}

/// The files of a chapter's exercises, which the chapter's executable does not compile.
let exerciseFiles = ["Exercises.swift", "Checks", "Solutions"]

/// The entries of `names` that exist in `Chapters/<folder>` (SwiftPM warns about excluding a missing one:
/// a chapter gets its `figures/` when its page is first rendered, and exercises when they are written).
func existing(_ names: [String], in folder: String) -> [String] {
  names.filter { FileManager.default.fileExists(atPath: Context.packageDirectory + "/Chapters/\(folder)/" + $0) }
}

/// Chapters whose exercises check themselves (`make check-N`). Adding one is one line here, one in
/// `Sources/CheckExercises/ExerciseChapters.swift` and one test in `Tests/ExercisesTests/CheckProofTests.swift`.
let exerciseChapters = [
  ("01", "01-Introduction"), ("02", "02-ExpertNetworks"), ("03", "03-GatingNetwork"), ("04", "04-CombiningExperts"),
  ("05", "05-Training"), ("06", "06-ExpertRegions"),
  ("07", "07-CatastrophicForgetting"), ("08", "08-SparseActivation"),
  ("09", "09-TextExperts"), ("10", "10-ImageExperts"),
  ("11", "11-ConditionalComputation"),
  ("12", "12-HierarchicalMixtures"),
  ("13", "13-Regularization"),
  ("14", "14-Evaluation"),
]

/// A chapter's exercises as three library targets: `ChapterNNChecks` (`Checks/`, the checks and the
/// `ChapterNNAnswers` they take), `ChapterNNExercises` (the student's `Exercises.swift`) and
/// `ChapterNNSolutions` (`Solutions/`: the teacher's answers and the wrong-answer fixtures).
func exercises(_ number: String, _ folder: String) -> [Target] {
  let libraries: [Target.Dependency] = ["Exercises", "Tensors", "NeuralNetworks", "MoE", "Datasets"]
  let checks = Target.Dependency.target(name: "Chapter\(number)Checks")
  return [
    .target(name: "Chapter\(number)Checks", dependencies: libraries, path: "Chapters/\(folder)/Checks"),
    .target(
      name: "Chapter\(number)Exercises", dependencies: [checks] + libraries, path: "Chapters/\(folder)",
      exclude: ["main.swift", "README.md", "\(folder).ipynb", "BuildAnchor.swift", "Checks", "Solutions"]
        + existing(["figures"], in: folder),
      sources: ["Exercises.swift"]),
    .target(
      name: "Chapter\(number)Solutions", dependencies: [checks] + libraries,
      path: "Chapters/\(folder)/Solutions"),
  ]
}

/// `ChapterNN<kind>` for every chapter with exercises and every kind asked for.
func exerciseModules(_ kinds: [String]) -> [Target.Dependency] {
  var modules: [Target.Dependency] = []
  for (number, _) in exerciseChapters {
    for kind in kinds { modules.append(.target(name: "Chapter\(number)\(kind)")) }
  }
  return modules
}

let exerciseCheckTargets: [String] = ["Exercises"] + exerciseChapters.map { "Chapter\($0.0)Checks" }
let exerciseTargets: [Target] = exerciseChapters.flatMap { exercises($0.0, $0.1) }

let package = Package(
  name: "MixtureOfExpertsCourse",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "Tensors", targets: ["Tensors"]),
    .library(name: "NeuralNetworks", targets: ["NeuralNetworks"]),
    .library(name: "Plotting", targets: ["Plotting"]),
    .library(name: "MoE", targets: ["MoE"]),
    .library(name: "Datasets", targets: ["Datasets"]),
    .library(name: "Training", targets: ["Training"]),
    // What a scratch package needs to check a copy of an exercise file (`make check-N EXERCISES=path`).
    .library(name: "ExerciseChecks", targets: exerciseCheckTargets),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
  ],
  targets: [
    // System libraries. `make deps` (and .ci/run) install them; the providers only print a hint.
    .systemLibrary(
      name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(
      name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng",
      providers: [.apt(["libpng-dev"])]),
    // glibc's allocator settings (mallopt), header only.
    .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
    .systemLibrary(
      name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]),

    // One core's peak FMA rate, for the benchmarks' machine report (each kernel compiled for its own
    // instruction set). DWARF 4: valgrind 3.19 cannot read clang's default DWARF 5 and would refuse
    // to run the Benchmarks binary under callgrind.
    .target(name: "CPeakFlops", path: "Sources/CPeakFlops", cSettings: [.unsafeFlags(["-gdwarf-4"])]),
    // Box-Muller in bulk for Tensor.normal, vectorized, with the scalar path's exact results (the kernel
    // says which draws it cannot decide, and those take the scalar path). DWARF 4 as above; optimized
    // in debug builds too, like Tensors.
    .target(
      name: "CRandomKernels", path: "Sources/CRandomKernels",
      cSettings: [.unsafeFlags(["-gdwarf-4"]), .unsafeFlags(["-O2"], .when(configuration: .debug))]),

    // The engine's element loops in C, compiled for AVX-512, AVX2 and SSE2 and picked at run time
    // (Swift code here targets baseline x86-64). Optimized in every configuration, DWARF 4 for valgrind.
    .target(name: "CKernels", path: "Sources/CKernels", cSettings: [.unsafeFlags(["-O2", "-gdwarf-4"])]),

    // The convolution layers' AVX-512 kernels (max pooling, relu, bias sums), each with a portable fallback;
    // optimized in debug builds too, like Tensors.
    .target(
      name: "CConvolutionKernels", path: "Sources/CConvolutionKernels",
      cSettings: [.unsafeFlags(["-gdwarf-4"]), .unsafeFlags(["-O2"], .when(configuration: .debug))]),

    // Number formatting, JSON text, atomic file writes, strerror: the small utilities every layer shares.
    .target(name: "Support"),
    // The engine: tensors, reverse-mode autodiff, BLAS-backed ops, seeded random numbers.
    // Optimized even in debug builds: its SIMD kernels (exp, tanh, sigmoid on SIMD8) run about 50 times
    // slower unoptimized, which made a chapter's --quick run in `make test` take minutes instead of seconds.
    .target(
      name: "Tensors", dependencies: ["CBLAS", "CConvolutionKernels", "CKernels", "CMalloc", "CRandomKernels", "Support"],
      swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
    // Modules, layers, losses, optimizers, schedules, checkpoints.
    .target(name: "NeuralNetworks", dependencies: ["Tensors", "Support"]),
    // Mixtures of experts: experts, gates and routers, dense and sparse mixtures, auxiliary losses, metrics.
    .target(name: "MoE", dependencies: ["NeuralNetworks"]),
    // Training loops and evaluation: fit, evaluate, histories, continual-learning accuracy matrices.
    .target(name: "Training", dependencies: ["MoE", "NeuralNetworks", "Support"]),
    // Synthetic problems and the bundled real data sets (each folder holds its data, licences and NOTICE.md).
    .target(
      name: "Datasets", dependencies: ["Tensors", "CZlib"],
      resources: [
        .copy("Resources/MNIST5k"), .copy("Resources/Digits"), .copy("Resources/MovieSentences"),
        .copy("Resources/WordLanguages"),
      ]),
    // Raster charts written as PNG through libpng.
    .target(name: "Plotting", dependencies: ["CPNG", "Support"]),

    // `make bench`: timings of the engine (release build, ContinuousClock).
    .executableTarget(
      name: "Benchmarks", dependencies: ["Tensors", "NeuralNetworks", "MoE", "Datasets", "CBLAS", "CPeakFlops"],
      path: "Sources/Benchmarks"),

    // `make gallery`: renders every chart kind into .build/gallery and times the region map.
    .executableTarget(name: "gallery", dependencies: ["Plotting"], path: "Sources/Gallery"),

    // The chapter runtime: options, figures, progress, stable number formatting, cell markers.
    .target(
      name: "Lessons",
      dependencies: [
        "Tensors", "Plotting", "Support", "Training", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // Literate sources and lesson pages: parsing, instrumentation, README and notebook rendering.
    .target(name: "LessonRendering", dependencies: ["Support"]),
    // `make lesson-N`: runs a chapter and writes its README.md and notebook.
    .executableTarget(
      name: "render-lesson",
      dependencies: [
        "LessonRendering", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Sources/RenderLesson"),
    // Copies a chapter's main.swift with a cell-marker call on each `// %%` line (same line numbers).
    .executableTarget(
      name: "literate-instrument", dependencies: ["LessonRendering"], path: "Sources/LiterateInstrument"),
    .plugin(
      name: "LiterateChapterPlugin", capability: .buildTool(), dependencies: ["literate-instrument"]),

    // Chapters: one executable per lesson.
    chapter("01", "01-Introduction"),
    chapter("02", "02-ExpertNetworks"),
    chapter("03", "03-GatingNetwork"),
    chapter("04", "04-CombiningExperts"),
    chapter("05", "05-Training"),
    chapter("06", "06-ExpertRegions"),
    chapter("07", "07-CatastrophicForgetting"),
    chapter("08", "08-SparseActivation"),
    chapter("09", "09-TextExperts"),
    chapter("10", "10-ImageExperts"),
    chapter("11", "11-ConditionalComputation"),
    chapter("12", "12-HierarchicalMixtures"),
    chapter("13", "13-Regularization"),
    chapter("14", "14-Evaluation"),

    // The experiment runner: YAML configurations (Yams), run folders, TensorBoard events, resume,
    // exports (ONNX through the committed code generated from its schema).
    .target(name: "ONNXSchema", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]),
    .target(
      name: "Experiments",
      dependencies: [
        "MoE", "NeuralNetworks", "Training", "Datasets", "Plotting", "Support", "ONNXSchema",
        .product(name: "Yams", package: "Yams"),
      ]),
    .executableTarget(
      name: "moe-experiment",
      dependencies: ["Experiments", "NeuralNetworks", .product(name: "ArgumentParser", package: "swift-argument-parser")],
      path: "Sources/ExperimentCommand"),

    // The README's "Writing a chapter" sample, verbatim, built as a chapter (ReadmeSamplesTests renders it).
    .executableTarget(
      name: "readme-chapter-sample", dependencies: ["Lessons", "NeuralNetworks", "Plotting"],
      path: "Tests/ReadmeChapterSample", exclude: ["main.swift"], plugins: ["LiterateChapterPlugin"]),

    // Exercises that check themselves: the runtime, each chapter's checks, stubs and solutions, and
    // `make check-N`'s executable.
    .target(name: "Exercises", dependencies: ["Support"]),
    .executableTarget(
      name: "check-exercises",
      dependencies: ["Exercises"] + exerciseModules(["Checks", "Exercises", "Solutions"]),
      path: "Sources/CheckExercises"),
  ] + exerciseTargets + [
    .testTarget(name: "SupportTests", dependencies: ["Support"]),
    .testTarget(name: "TensorsTests", dependencies: ["Tensors"]),
    .testTarget(name: "NeuralNetworksTests", dependencies: ["NeuralNetworks", "Tensors"], exclude: ["Fixtures"]),
    .testTarget(name: "MoETests", dependencies: ["MoE"], exclude: ["Fixtures"]),
    .testTarget(name: "TrainingTests", dependencies: ["Training", "MoE"]),
    .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "CZlib"]),
    .testTarget(name: "PlottingTests", dependencies: ["Plotting", "CPNG"]),
    // Runs a built chapter executable and captures what it printed; shared by the two suites that do.
    .target(name: "ChapterProcessTesting", path: "Tests/ChapterProcessTesting"),
    .testTarget(name: "LessonsTests", dependencies: ["Lessons", "ChapterProcessTesting"]),
    .testTarget(name: "LessonRenderingTests", dependencies: ["LessonRendering"]),
    .testTarget(name: "ChapterTests", dependencies: ["ChapterProcessTesting"]),
    .testTarget(
      name: "ExperimentsTests",
      dependencies: ["Experiments", "MoE", "NeuralNetworks", "ONNXSchema", "ChapterProcessTesting"]),
    .testTarget(
      name: "ReadmeSamplesTests",
      dependencies: ["Lessons", "LessonRendering", "MoE", "NeuralNetworks", "Plotting", "ChapterProcessTesting"]),
    .testTarget(
      name: "ExercisesTests",
      dependencies: ["Exercises", "ChapterProcessTesting"] + exerciseModules(["Checks", "Exercises", "Solutions"])),
  ]
)
