import Foundation

/// Gemma 2's soft-capping, `cap · tanh(x / cap)`: smooth, odd, and bounded by ±cap.
enum SoftCap {
    static func apply(_ x: UnsafeMutablePointer<Float>, count: Int, cap: Float) {
        for i in 0..<count { x[i] = cap * Foundation.tanh(x[i] / cap) }
    }
}
