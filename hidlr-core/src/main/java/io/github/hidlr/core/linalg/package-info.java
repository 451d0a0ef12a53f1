/**
 * The two small dense solvers the quadratic fits need, in double precision and closed form:
 * Householder QR least squares (the REGRESSION probe fit) and Cholesky (the FULL
 * {@code A η = b} solve). No iterative optimizer is used anywhere in a fit.
 */
package io.github.hidlr.core.linalg;
