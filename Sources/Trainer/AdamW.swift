import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// AdamW with decoupled weight decay, step for step as `torch.optim.AdamW` (single-tensor path):
/// p ← p·(1 − lr·wd); m ← m + (1 − β1)(g − m); v ← β2·v + (1 − β2)·g²;
/// p ← p − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε).
public struct AdamW<T: TrainScalar>: Sendable {
    public var learningRate: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    public var weightDecay: Double
    /// First and second moments (torch's exp_avg, exp_avg_sq), one per parameter.
    public var firstMoment: [T]
    public var secondMoment: [T]
    /// Updates taken so far (torch's `step`).
    public var step: Int

    public init(parameterCount: Int, learningRate: Double, beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double) {
        self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2
        self.epsilon = epsilon; self.weightDecay = weightDecay
        firstMoment = [T](repeating: 0, count: parameterCount)
        secondMoment = [T](repeating: 0, count: parameterCount)
        step = 0
    }

    /// One update of `parameters` with `gradient` (same length).
    public mutating func update(_ parameters: inout [T], gradient: [T]) {
        step += 1
        // Scalars are formed in Double and rounded once to T, as PyTorch's Python-float scalars are.
        let decay = T(1 - learningRate * weightDecay)
        let oneMinusBeta1 = T(1 - beta1)
        let beta2T = T(beta2)
        let oneMinusBeta2 = T(1 - beta2)
        let stepSize = T(learningRate / (1 - pow(beta1, Double(step))))
        let correction2Root = T((1 - pow(beta2, Double(step))).squareRoot())
        let eps = T(epsilon)
        let count = parameters.count
        parameters.withUnsafeMutableBufferPointer { pb in
            firstMoment.withUnsafeMutableBufferPointer { mb in
                secondMoment.withUnsafeMutableBufferPointer { vb in
                    gradient.withUnsafeBufferPointer { gb in
                        let (p, m, v, g) = (pb.baseAddress!, mb.baseAddress!, vb.baseAddress!, gb.baseAddress!)
                        // Elementwise, so splitting over cores cannot change any value.
                        let parts = count >= 65_536 ? 2 : 1
                        DispatchQueue.concurrentPerform(iterations: parts) { part in
                            for i in (part * count / parts)..<((part + 1) * count / parts) {
                                p[i] *= decay
                                m[i] += oneMinusBeta1 * (g[i] - m[i])
                                v[i] = v[i] * beta2T + oneMinusBeta2 * g[i] * g[i]
                                let denom = v[i].squareRoot() / correction2Root + eps
                                p[i] -= stepSize * (m[i] / denom)
                            }
                        }
                    }
                }
            }
        }
    }
}

