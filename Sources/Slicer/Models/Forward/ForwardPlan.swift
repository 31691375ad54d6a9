/// Which nodes one forward pass runs and when each value can be released, so that a pass holds only
/// the values still to be read (bounded memory on deep graphs).
package struct ForwardPlan: Sendable {
    /// Node indices to run, in topological order.
    let order: [Int]
    /// Values supplied by the caller (value 0 is the graph input).
    let given: Set<Int>
    /// Values handed back after the pass.
    let returned: Set<Int>
    /// Values shown to the caller's observer as soon as they exist.
    let observed: Set<Int>
    /// Values to release after order[p] has run (and been observed).
    let release: [[Int]]
    /// Given values no node reads: released once observed.
    let releaseAtStart: [Int]
    /// True when order[p] may write its output over its first input (read by no later node).
    let inPlace: [Bool]
    /// True when order[p] is a ReLU that its readers apply as they read its input (Winograd convolutions
    /// rectify while copying their input): its value then shares its input's storage, unrectified.
    let rectifiedByReaders: [Bool]
    /// True when order[p] reads its first input through a ReLU of `rectifiedByReaders`.
    let rectifiesInput: [Bool]
    /// Largest number of scalars per row alive at once.
    package let peakPerRow: Int
    /// Scalars of scratch space the steps need (per worker, not per row).
    let scratch: Int

    /// Runs every node that `needed` depends on without passing through a given value.
    package init<T>(model: GraphModel, steps: [ForwardStep<T>], needed: Set<Int>, given: Set<Int>,
         returned: Set<Int> = [], observed: Set<Int> = []) {
        var required = Set<Int>()
        var stack = Array(needed)
        while let value = stack.popLast() {
            guard !given.contains(value), !required.contains(value) else { continue }
            precondition(value > 0, "the graph input is needed but not given")
            required.insert(value)
            stack.append(contentsOf: model.nodes[value - 1].inputs)
        }
        order = required.sorted().map { $0 - 1 }
        self.given = given; self.returned = returned; self.observed = observed
        var lastUse: [Int: Int] = [:]
        for (p, n) in order.enumerated() {
            lastUse[n + 1] = lastUse[n + 1] ?? p
            for input in model.nodes[n].inputs { lastUse[input] = p }
        }
        var release = [[Int]](repeating: [], count: order.count)
        for (value, p) in lastUse where !returned.contains(value) { release[p].append(value) }
        self.release = release
        releaseAtStart = given.filter { lastUse[$0] == nil && !returned.contains($0) }.sorted()
        inPlace = order.enumerated().map { p, n in
            let input = model.nodes[n].inputs[0]
            return steps[n].isElementwise && lastUse[input] == p && !returned.contains(input)
                && model.nodes[n].inputs.dropFirst().allSatisfy { $0 != input }
        }
        let order = self.order
        var readers: [Int: [Int]] = [:]
        for (p, n) in order.enumerated() { for input in Set(model.nodes[n].inputs) { readers[input, default: []].append(p) } }
        let fused = order.map { n -> Bool in
            guard case .activation(.relu) = steps[n], !returned.contains(n + 1), !observed.contains(n + 1),
                  let uses = readers[n + 1] else { return false }
            return uses.allSatisfy { q in
                model.nodes[order[q]].inputs == [n + 1] && steps[order[q]].rectifiesOnRead
            }
        }
        rectifiedByReaders = fused
        rectifiesInput = order.map { n in
            guard let input = model.nodes[n].inputs.first, input > 0, let p = order.firstIndex(of: input - 1) else { return false }
            return fused[p]
        }
        // Live scalars per row, simulated over the pass.
        func size(_ value: Int) -> Int { model.shape(ofValue: value).reduce(1, *) }
        var live = given.subtracting(releaseAtStart).reduce(0) { $0 + size($1) }
        var peak = live
        for (p, n) in order.enumerated() {
            live += size(n + 1)
            peak = max(peak, live)
            live -= release[p].reduce(0) { $0 + size($1) }
        }
        peakPerRow = max(1, peak)
        scratch = order.map { steps[$0].scratchSize }.max() ?? 0
    }
}
