@testable import AtlasSite
import AtlasResults
import Testing

@Suite struct NumberFormatTests {
    @Test(arguments: [
        (0.0, "0"), (1.0, "1.000"), (21.7345, "21.73"), (600, "600.0"), (1200, "1200"), (12345.6, "12350"),
        (999.96, "1000"), (0.001234, "0.001234"), (0.000123456, "1.235e-4"), (2.5e7, "2.500e+7"),
        (-3.14159, "-3.142"), (100, "100.0"), (0.1, "0.1000"), (.nan, "NaN"), (.infinity, "inf"), (-.infinity, "-inf"),
    ])
    func significantDigits(value: Double, expected: String) {
        #expect(NumberFormat.significant(value) == expected)
    }

    @Test func compactStripsTrailingZeros() {
        #expect(NumberFormat.compact(100) == "100")
        #expect(NumberFormat.compact(0.01) == "0.01")
        #expect(NumberFormat.compact(1e-5) == "1e-5")
        #expect(NumberFormat.compact(2.5) == "2.5")
    }

    @Test func percentAndIntegers() {
        #expect(NumberFormat.percent(0.125) == "12.500%")
        #expect(NumberFormat.percent(1) == "100.000%")
        #expect(NumberFormat.percent(0.0000049) == "0.000%")
        #expect(NumberFormat.integer(134_515_008) == "134,515,008")
        #expect(NumberFormat.integer(12) == "12")
        #expect(NumberFormat.integer(-1000) == "-1,000")
    }
}

@Suite struct SlugTests {
    @Test func slugsAreLowercaseAlphanumericAndDashes() {
        #expect(Slug.make("SmolLM2-135M Q4_1") == "smollm2-135m-q4-1")
        #expect(Slug.make("  --Ünïcode ✓ model--  ") == "n-code-model")
        #expect(Slug.make("../../etc/passwd") == "etc-passwd")
        #expect(Slug.make("") == "model")
        #expect(Slug.make("<>") == "model")
    }

    @Test func duplicatesAreNumberedDeterministically() {
        #expect(Slug.unique(["A", "a", "a!", "a-2"]) == ["a", "a-3", "a-4", "a-2"])
        #expect(Slug.unique(["x", "y"]) == ["x", "y"])
    }
}
