/// Which implementation of the two 8-bit resize passes runs. All three give the same bytes (the tests check it);
/// only their speed differs.
package enum ResampleKernel: Sendable, CaseIterable {
    /// C: AVX2 when the CPU has it (checked at run time), otherwise portable C. The default.
    case fastest
    /// C without SIMD intrinsics.
    case portable
    /// Scalar Swift (`Image+ResampleReference.swift`): the definition the C kernels are tested against.
    case reference
}
