import Polytope

/// How the MLP driver gets one neuron's exact line on a region it has no whole map of: alone (the
/// certified kernel's: few lines of a region are asked for), or from the region's whole map, built
/// and cached (the exact kernel's: most are). The sign kernel picks one (`SignKernel.pick`).
protocol NeuronLineSource: Sendable {
    func line(_ engine: Subdivision, layer k: Int, neuron j: Int, region r: Int) -> ExactLine
}

/// One line at a time, cached by (layer, neuron, region).
struct SingleNeuronLines: NeuronLineSource {
    func line(_ engine: Subdivision, layer k: Int, neuron j: Int, region r: Int) -> ExactLine {
        engine.singleNeuronLine(layer: k, neuron: j, region: r)
    }
}

/// The region's whole exact map, built once.
struct WholeMapLines: NeuronLineSource {
    func line(_ engine: Subdivision, layer k: Int, neuron j: Int, region r: Int) -> ExactLine {
        engine.exactMap(layer: k, region: r)[j]
    }
}
