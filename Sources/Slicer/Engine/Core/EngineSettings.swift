import Models

/// What a slice may do, for either driver: how many regions before it stops, and on how many threads.
struct EngineSettings {
    var maxRegions: Int
    /// True when `maxRegions` comes from the memory budget rather than --max-regions.
    var limitIsMemory = false
    var parallelism: Parallelism
}
