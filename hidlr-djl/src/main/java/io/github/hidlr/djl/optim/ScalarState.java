package io.github.hidlr.djl.optim;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one format of the optimizers' global scalars: a record of {@code double},
 * {@code long} and {@code boolean} components, read and written as named values in component
 * order ({@code boolean} as 1 or 0, {@code long} exactly while below 2⁵³). Each method declares
 * its scalars as such a record; saving, loading and diagnostics go through here.
 */
final class ScalarState {

  private ScalarState() {}

  /**
   * The scalars by component name, in component order.
   *
   * @param scalars a record of double, long and boolean components
   * @return name → value
   */
  static Map<String, Double> toMap(Record scalars) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (RecordComponent component : scalars.getClass().getRecordComponents()) {
      Object value;
      try {
        component.getAccessor().setAccessible(true);
        value = component.getAccessor().invoke(scalars);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + component.getName(), e);
      }
      out.put(component.getName(), value instanceof Boolean b ? (b ? 1.0 : 0.0)
          : ((Number) value).doubleValue());
    }
    return out;
  }

  /**
   * The record of {@code type} holding {@code values}, which name exactly its components.
   *
   * @param type the record type
   * @param values name → value
   * @param <S> the record type
   * @return the record
   * @throws IllegalArgumentException if a long or boolean value is not an integer of its range
   */
  static <S extends Record> S fromMap(Class<S> type, Map<String, Double> values) {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] arguments = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      String name = components[i].getName();
      double value = values.get(name);
      types[i] = components[i].getType();
      if (types[i] == double.class) {
        arguments[i] = value;
      } else if (types[i] == long.class && value == Math.rint(value) && value >= 0) {
        arguments[i] = (long) value;
      } else if (types[i] == boolean.class && (value == 0 || value == 1)) {
        arguments[i] = value == 1;
      } else {
        throw new IllegalArgumentException("optimizer state gives " + name + " = " + value
            + ", not a valid " + types[i].getSimpleName() + "; the stream is corrupt");
      }
    }
    try {
      Constructor<S> constructor = type.getDeclaredConstructor(types);
      constructor.setAccessible(true);
      return constructor.newInstance(arguments);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
    }
  }
}
