// swift-tools-version: 6.0
import PackageDescription

// Dependencies point one way, top to bottom:
//   Chapters -> MoE -> NeuralNetworks -> Tensors -> CBLAS
//   Chapters -> Plotting -> CPNG
//   Chapters -> Lessons (options, figures, progress, cell markers) -> Tensors, Plotting
let package = Package(
  name: "MixtureOfExpertsCourse",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "Tensors", targets: ["Tensors"]),
    .library(name: "NeuralNetworks", targets: ["NeuralNetworks"]),
    .library(name: "Plotting", targets: ["Plotting"]),
    .library(name: "MoE", targets: ["MoE"]),
    .library(name: "Datasets", targets: ["Datasets"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
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

    // The engine: tensors, reverse-mode autodiff, BLAS-backed ops, seeded random numbers.
    .target(name: "Tensors", dependencies: ["CBLAS", "CMalloc"]),
    // Modules, layers, losses, optimizers, schedules, checkpoints.
    .target(name: "NeuralNetworks", dependencies: ["Tensors"]),
    // Mixtures of experts: experts, gates and routers, dense and sparse mixtures, auxiliary losses, metrics.
    .target(name: "MoE", dependencies: ["NeuralNetworks"]),
    // Synthetic problems and the bundled real data sets.
    .target(name: "Datasets", dependencies: ["Tensors"]),
    // Raster charts written as PNG through libpng.
    .target(name: "Plotting", dependencies: ["CPNG"]),

    // `make bench`: timings of the engine (release build, ContinuousClock).
    .executableTarget(
      name: "Benchmarks", dependencies: ["Tensors", "NeuralNetworks", "CBLAS"],
      path: "Sources/Benchmarks"),

    // `make gallery`: renders every chart kind into .build/gallery and times the region map.
    .executableTarget(name: "gallery", dependencies: ["Plotting"], path: "Sources/Gallery"),

    // The chapter runtime: options, figures, progress, stable number formatting, cell markers.
    .target(
      name: "Lessons",
      dependencies: [
        "Tensors", "Plotting", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // Chapters: one executable per lesson.
    .executableTarget(
      name: "chapter-01", dependencies: ["Lessons", "MoE", "Datasets", "Plotting"],
      path: "Chapters/01-Introduction"),
    .executableTarget(
      name: "chapter-02", dependencies: ["Lessons", "MoE", "Datasets", "Plotting"],
      path: "Chapters/02-ExpertNetworks"),
    .executableTarget(
      name: "chapter-03", dependencies: ["Lessons", "MoE", "Datasets", "Plotting"],
      path: "Chapters/03-GatingNetwork"),

    .testTarget(name: "TensorsTests", dependencies: ["Tensors"]),
    .testTarget(name: "NeuralNetworksTests", dependencies: ["NeuralNetworks", "Tensors"], exclude: ["Fixtures"]),
    .testTarget(name: "MoETests", dependencies: ["MoE"]),
    .testTarget(name: "DatasetsTests", dependencies: ["Datasets"]),
    .testTarget(name: "PlottingTests", dependencies: ["Plotting", "CPNG"]),
    .testTarget(name: "LessonsTests", dependencies: ["Lessons", "Plotting"]),
    // Runs the chapter executables built by `swift build` (chapters 1-3).
    .testTarget(name: "ChapterTests"),
  ]
)
