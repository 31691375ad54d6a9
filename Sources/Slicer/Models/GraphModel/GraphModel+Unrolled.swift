// Convolutions as the dense layers they are: what a dense-only peer (regioncam) is given.

extension Conv2D {
    /// The convolution on a [inChannels, inputHeight, inputWidth] input as its dense matrix
    /// [outputs, inputs] (row-major, C order on both sides), with the bias repeated per pixel. Every
    /// entry is one of the convolution's weights or zero (each kernel tap reads a different input
    /// position, so no two weights land in one entry): the same values, exactly.
    public func unrolled(inputHeight: Int, inputWidth: Int, outputHeight: Int, outputWidth: Int) -> DenseLayer {
        let inputs = inChannels * inputHeight * inputWidth
        let plane = outputHeight * outputWidth
        let outputs = outChannels * plane
        let perGroupIn = inChannels / groups, perGroupOut = outChannels / groups
        var matrix = [Double](repeating: 0, count: outputs * inputs)
        var repeatedBias = [Double](repeating: 0, count: outputs)
        for o in 0..<outChannels {
            let group = o / perGroupOut
            for oy in 0..<outputHeight {
                for ox in 0..<outputWidth {
                    let row = (o * outputHeight + oy) * outputWidth + ox
                    repeatedBias[row] = bias[o]
                    for ci in 0..<perGroupIn {
                        let channel = group * perGroupIn + ci
                        for ky in 0..<kernelH {
                            let iy = oy * strideH - pads[0] + ky * dilationH
                            guard iy >= 0, iy < inputHeight else { continue }
                            for kx in 0..<kernelW {
                                let ix = ox * strideW - pads[1] + kx * dilationW
                                guard ix >= 0, ix < inputWidth else { continue }
                                let column = (channel * inputHeight + iy) * inputWidth + ix
                                matrix[row * inputs + column] = weights[((o * perGroupIn + ci) * kernelH + ky) * kernelW + kx]
                            }
                        }
                    }
                }
            }
        }
        return DenseLayer(inputs: inputs, outputs: outputs, weights: matrix, bias: repeatedBias)
    }
}

extension GraphModel {
    /// The same model with every convolution replaced by its dense matrix (`Conv2D.unrolled`); the
    /// shapes of all values are unchanged. A chain of convolutions and activations ending in a
    /// flatten and a dense layer becomes an MLP (`chainNetwork`).
    public var convolutionsUnrolled: GraphModel {
        var model = self
        for (index, node) in nodes.enumerated() {
            guard case .conv(let conv) = node.op else { continue }
            let input = shape(ofValue: node.inputs[0])
            model.nodes[index].op = .dense(conv.unrolled(inputHeight: input[1], inputWidth: input[2],
                                                         outputHeight: node.shape[1], outputWidth: node.shape[2]))
            model.nodes[index].opType = "Gemm"
        }
        return model
    }
}
