package io.github.hidlr.djl.group;

import ai.djl.nn.Parameter;

/** Coarse kinds of parameters, for grouping "all biases" or "all normalisation parameters". */
public enum ParameterKind {
  /** Weight matrices and kernels. */
  WEIGHT,
  /** Bias vectors. */
  BIAS,
  /** Normalisation scales and shifts (gamma, beta, running statistics). */
  NORM,
  /** Anything else. */
  OTHER;

  /**
   * The kind of a parameter, from DJL's {@link Parameter.Type}.
   *
   * @param parameter a parameter
   * @return its kind
   */
  public static ParameterKind of(Parameter parameter) {
    Parameter.Type type = parameter.getType();
    if (type == Parameter.Type.WEIGHT) {
      return WEIGHT;
    }
    if (type == Parameter.Type.BIAS) {
      return BIAS;
    }
    if (type == Parameter.Type.GAMMA || type == Parameter.Type.BETA
        || type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
      return NORM;
    }
    return OTHER;
  }
}
