extension ChannelMoments {
    /// Mean of the finite values of channel `c` (NaN when there are none).
    public func mean(_ c: Int) -> Double {
        count[c] == 0 ? .nan : sum[c] / Double(count[c])
    }

    /// Population variance m₂ = Σ(x − mean)²/n of channel `c` (NaN when empty).
    public func variance(_ c: Int) -> Double {
        guard count[c] > 0 else { return .nan }
        let n = Double(count[c])
        let mu = sum[c] / n
        return Swift.max(0, sumSquares[c] / n - mu * mu)
    }

    /// Pearson kurtosis m₄ / m₂² of channel `c` (NOT excess: a Gaussian gives 3).
    /// NaN when the channel is empty or constant.
    public func kurtosis(_ c: Int) -> Double {
        guard count[c] > 0 else { return .nan }
        let n = Double(count[c])
        let mu = sum[c] / n
        let e2 = sumSquares[c] / n, e3 = sumCubes[c] / n, e4 = sumFourth[c] / n
        let mu2 = mu * mu
        let m2 = e2 - mu2
        let m4 = e4 - 4 * mu * e3 + 6 * mu2 * e2 - 3 * mu2 * mu2
        guard m2 > 0 else { return .nan }
        return Swift.max(0, m4) / (m2 * m2)
    }

    /// Excess (Fisher) kurtosis = Pearson kurtosis − 3 (a Gaussian gives 0).
    public func excessKurtosis(_ c: Int) -> Double { kurtosis(c) - 3 }

    /// `mean(c)` for every channel.
    public var means: [Double] { (0..<channels).map(mean) }
    /// `variance(c)` for every channel.
    public var variances: [Double] { (0..<channels).map(variance) }
    /// Pearson `kurtosis(c)` for every channel.
    public var kurtoses: [Double] { (0..<channels).map(kurtosis) }
    /// `excessKurtosis(c)` for every channel.
    public var excessKurtoses: [Double] { (0..<channels).map(excessKurtosis) }

    /// The largest finite |x| over all channels (0 when empty).
    public var maxAbs: Float { absmax.max() ?? 0 }
}
