/// A network as a directed acyclic graph of operations (what an ONNX file holds); an MLP is the chain
/// case. Shapes are per sample, without the batch dimension: [C, H, W] for images, [D] for vectors;
/// values are flattened in C order.
public struct GraphModel: Sendable, Equatable {
    /// The graph input's name (ONNX) or "input" (a safetensors MLP).
    public var inputName: String
    /// The per-sample input shape; its product is the dimension of the input space.
    public var inputShape: [Int]
    /// Nodes in topological order. Value 0 is the input; node i produces value i + 1.
    public var nodes: [GraphNode]
    /// The value the network outputs (logits; a trailing Softmax/LogSoftmax is dropped on reading).
    public var outputValue: Int
    /// True when some batch normalisation scale γ/√(σ²+ε) was rounded to float64 (recorded in the JSON summary).
    public var hasBatchNormScale: Bool

    public init(inputName: String, inputShape: [Int], nodes: [GraphNode], outputValue: Int, hasBatchNormScale: Bool = false) {
        self.inputName = inputName; self.inputShape = inputShape; self.nodes = nodes
        self.outputValue = outputValue; self.hasBatchNormScale = hasBatchNormScale
    }

    /// The dimension of the input space.
    public var inputDimension: Int { inputShape.reduce(1, *) }
    /// The shape of value `v` (0 = the input).
    public func shape(ofValue v: Int) -> [Int] { v == 0 ? inputShape : nodes[v - 1].shape }
    /// Number of outputs (classes, or 1 for a sign classifier).
    public var outputDimension: Int { shape(ofValue: outputValue).reduce(1, *) }
}

/// One operation of a graph: what it does, which values it reads, the shape it produces.
public struct GraphNode: Sendable, Equatable {
    /// The node's name in the file (ONNX node name, or the output name when the node has none).
    public var name: String
    /// The operator as the file names it (`Conv`, `Gemm`, `Relu`, ...), for messages and `inspect`.
    public var opType: String
    public var op: GraphOp
    /// Value indices read (0 = the graph input, i + 1 = node i's output).
    public var inputs: [Int]
    /// Output shape per sample.
    public var shape: [Int]

    public init(name: String, opType: String, op: GraphOp, inputs: [Int], shape: [Int]) {
        self.name = name; self.opType = opType; self.op = op; self.inputs = inputs; self.shape = shape
    }
}

/// The operations of a graph model. Every parameter is held as Double: each dtype tessera reads
/// converts exactly.
public enum GraphOp: Sendable, Equatable {
    /// y = W·x + b on the flattened input; W row-major [outputs, inputs].
    case dense(DenseLayer)
    /// 2-D convolution (cross-correlation, as PyTorch and ONNX define it).
    case conv(Conv2D)
    /// Per-channel y = scale[c]·x + shift[c] (inference-mode batch normalisation, folded).
    case channelAffine(scale: [Double], shift: [Double])
    /// y = x + c with a constant c already broadcast to the output shape (a bias added by `Add`).
    case addConstant([Double])
    /// 2-D average pooling; the divisor counts padding when `countIncludePad`.
    case averagePool(Pool2D, countIncludePad: Bool)
    /// The mean over each channel's H×W values.
    case globalAveragePool
    /// 2-D max pooling: each window's largest input (ties to the lowest index).
    case maxPool(Pool2D)
    /// Flatten, Reshape, Identity, Dropout (inference): values unchanged, the shape relabelled.
    case reshape
    /// Elementwise sum of two values of the same shape (residual connections).
    case add
    /// An elementwise activation: piecewise affine (ReLU, leaky ReLU, PReLU with a constant slope, Abs)
    /// or, for the LC estimator only, a smooth one.
    case activation(Activation)
}

/// A 2-D convolution: weights [outChannels, inChannels / groups, kernelH, kernelW] row-major.
public struct Conv2D: Sendable, Equatable {
    public var inChannels: Int
    public var outChannels: Int
    public var kernelH: Int, kernelW: Int
    public var strideH: Int, strideW: Int
    /// Zero padding [top, left, bottom, right] (ONNX `pads` order for 2-D).
    public var pads: [Int]
    public var dilationH: Int, dilationW: Int
    public var groups: Int
    public var weights: [Double]
    /// One per output channel (zeros when the file has none).
    public var bias: [Double]

    public init(inChannels: Int, outChannels: Int, kernelH: Int, kernelW: Int, strideH: Int = 1, strideW: Int = 1,
                pads: [Int] = [0, 0, 0, 0], dilationH: Int = 1, dilationW: Int = 1, groups: Int = 1,
                weights: [Double], bias: [Double]) {
        self.inChannels = inChannels; self.outChannels = outChannels; self.kernelH = kernelH; self.kernelW = kernelW
        self.strideH = strideH; self.strideW = strideW; self.pads = pads; self.dilationH = dilationH
        self.dilationW = dilationW; self.groups = groups; self.weights = weights; self.bias = bias
    }

    public static func == (a: Conv2D, b: Conv2D) -> Bool {
        a.inChannels == b.inChannels && a.outChannels == b.outChannels && a.kernelH == b.kernelH && a.kernelW == b.kernelW
            && a.strideH == b.strideH && a.strideW == b.strideW && a.pads == b.pads && a.dilationH == b.dilationH
            && a.dilationW == b.dilationW && a.groups == b.groups && a.weights == b.weights && a.bias == b.bias
    }
}

/// A 2-D pooling window: kernel, strides, padding [top, left, bottom, right], dilations, ceil mode.
public struct Pool2D: Sendable, Equatable {
    public var kernelH: Int, kernelW: Int
    public var strideH: Int, strideW: Int
    public var pads: [Int]
    public var dilationH: Int, dilationW: Int
    public var ceilMode: Bool

    public init(kernelH: Int, kernelW: Int, strideH: Int, strideW: Int, pads: [Int] = [0, 0, 0, 0],
                dilationH: Int = 1, dilationW: Int = 1, ceilMode: Bool = false) {
        self.kernelH = kernelH; self.kernelW = kernelW; self.strideH = strideH; self.strideW = strideW
        self.pads = pads; self.dilationH = dilationH; self.dilationW = dilationW; self.ceilMode = ceilMode
    }
}
