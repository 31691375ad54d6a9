import Render
import Testing

/// The bundled fonts are used exactly when nothing else configures fontconfig and the binary has them.
struct BundledFontsTests {
    static let bundled = "/site/tessera/_bin/fonts/fonts.conf"

    static func choice(environment: [String: String] = [:], systemConfigured: Bool = false,
                       directory: String? = "/site/tessera/_bin", present: Set<String> = [bundled]) -> String? {
        BundledFonts.configurationFile(environment: environment, systemConfigured: systemConfigured,
                                       executableDirectory: directory, exists: present.contains)
    }

    @Test func aSystemWithoutFontsUsesTheBundledOnes() {
        #expect(Self.choice() == Self.bundled)
    }

    @Test func theSystemsConfigurationWins() {
        #expect(Self.choice(systemConfigured: true) == nil)
    }

    @Test func theEnvironmentWins() {
        #expect(Self.choice(environment: ["FONTCONFIG_FILE": "/mine.conf"]) == nil)
        #expect(Self.choice(environment: ["FONTCONFIG_PATH": "/etc/mine"]) == nil)
    }

    @Test func aBinaryWithoutFontsBesideItChangesNothing() {
        #expect(Self.choice(present: []) == nil)
        #expect(Self.choice(directory: nil) == nil)
        #expect(Self.choice(directory: "/usr/local/bin") == nil)
    }
}
