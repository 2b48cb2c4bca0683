package dev.collect.core.internal.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * {@code double} and {@code float} fields that accept only finite values: Jackson turns {@code
 * 1e400} into Infinity, which a JSON writer then emits as the string {@code "Infinity"}, so a
 * number would silently become a string downstream.
 */
final class FiniteNumbers {
  private FiniteNumbers() {}

  static SimpleModule module() {
    SimpleModule module = new SimpleModule("collect-finite-numbers");
    module.addDeserializer(Double.TYPE, new FiniteDouble(Double.TYPE, 0.0));
    module.addDeserializer(Double.class, new FiniteDouble(Double.class, null));
    module.addDeserializer(Float.TYPE, new FiniteFloat(Float.TYPE, 0.0f));
    module.addDeserializer(Float.class, new FiniteFloat(Float.class, null));
    return module;
  }

  /** A number that does not fit its field's type; the message names the type, not the value. */
  static final class OutOfRange extends MismatchedInputException {
    private static final long serialVersionUID = 1L;

    OutOfRange(JsonParser p, Class<?> type) {
      super(p, "number out of range for " + type.getSimpleName(), type);
    }
  }

  /** {@code value} if it is null or finite; else fails naming {@code type} (double, Float...). */
  private static <N extends Number> N finite(N value, JsonParser p, Class<?> type)
      throws OutOfRange {
    if (value != null && !Double.isFinite(value.doubleValue())) {
      throw new OutOfRange(p, type);
    }
    return value;
  }

  private static final class FiniteDouble extends NumberDeserializers.DoubleDeserializer {
    private static final long serialVersionUID = 1L;

    FiniteDouble(Class<Double> type, Double nullValue) {
      super(type, nullValue);
    }

    @Override
    public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return finite(super.deserialize(p, ctxt), p, handledType());
    }
  }

  private static final class FiniteFloat extends NumberDeserializers.FloatDeserializer {
    private static final long serialVersionUID = 1L;

    FiniteFloat(Class<Float> type, Float nullValue) {
      super(type, nullValue);
    }

    @Override
    public Float deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return finite(super.deserialize(p, ctxt), p, handledType());
    }
  }
}
