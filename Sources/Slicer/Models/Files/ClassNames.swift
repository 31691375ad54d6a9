/// Human-readable class names for the datasets tessera knows, by directory name.
public enum ClassNames {
    static let fashion = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                          "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    /// "Ankle boot" for Fashion-MNIST's label 9, "class 3" for datasets without names.
    public static func name(of label: Int, directory: String) -> String {
        if directory.lowercased().contains("fashion"), fashion.indices.contains(label) { return fashion[label] }
        return "class \(label)"
    }

    /// All class names of a known dataset directory, or nil.
    public static func names(directory: String) -> [String]? {
        directory.lowercased().contains("fashion") ? fashion : nil
    }
}
