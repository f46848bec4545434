extension Double {
    /// Equal but for floating-point rounding (coefficients computed two ways).
    public func isClose(to other: Double) -> Bool { abs(self - other) < 1e-9 }
}
