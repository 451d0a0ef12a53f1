package io.github.hidlr.cli.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX model that a weight loader needs: the graph's float initializers and
 * its nodes (operator, inputs, outputs), read from the protobuf wire format.
 *
 * <p>Only what ONNX's {@code onnx.proto} defines for these messages is read, everything else is
 * skipped by wire type: {@code ModelProto.graph} (field 7); {@code GraphProto.node} (1) and
 * {@code initializer} (5); {@code NodeProto.input} (1), {@code output} (2), {@code op_type}
 * (4); {@code TensorProto.dims} (1), {@code data_type} (2), {@code float_data} (4),
 * {@code name} (8), {@code raw_data} (9, little-endian). A malformed file fails with an
 * {@link IOException} that says where.
 *
 * @param initializers the float tensors by name, in file order
 * @param nodes the graph's nodes, in file order
 */
public record OnnxModel(Map<String, Tensor> initializers, List<Node> nodes) {

  /** ONNX's {@code TensorProto.DataType.FLOAT}. */
  static final int FLOAT = 1;

  /**
   * A float tensor.
   *
   * @param name its name in the graph
   * @param shape its dimensions
   * @param values its values, row-major
   */
  public record Tensor(String name, long[] shape, float[] values) {

    /**
     * Number of elements the shape holds.
     *
     * @return the product of the dimensions
     */
    public long size() {
      return Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }
  }

  /**
   * A node of the graph.
   *
   * @param opType the operator, e.g. {@code MatMul}
   * @param inputs the names of its inputs
   * @param outputs the names of its outputs
   */
  public record Node(String opType, List<String> inputs, List<String> outputs) {}

  /**
   * Reads a model file.
   *
   * @param file the {@code .onnx} file
   * @return the initializers and nodes
   * @throws IOException if it cannot be read or is not a valid ONNX model
   */
  public static OnnxModel read(Path file) throws IOException {
    try {
      return parse(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IOException(file + " is not a readable ONNX model: " + e.getMessage()
          + "; fetch it again with `hidlr data fetch`", e);
    }
  }

  /**
   * Parses a model from its bytes.
   *
   * @param bytes the serialized {@code ModelProto}
   * @return the initializers and nodes
   * @throws IOException if the bytes are not a valid ONNX model
   */
  public static OnnxModel parse(byte[] bytes) throws IOException {
    Wire model = new Wire(ByteBuffer.wrap(bytes), "ModelProto");
    Map<String, Tensor> initializers = new LinkedHashMap<>();
    List<Node> nodes = new ArrayList<>();
    boolean graphSeen = false;
    while (model.hasMore()) {
      int key = model.key();
      if (key >>> 3 == 7 && (key & 7) == 2) {
        graphSeen = true;
        Wire graph = model.message("GraphProto");
        while (graph.hasMore()) {
          int g = graph.key();
          if (g >>> 3 == 1 && (g & 7) == 2) {
            nodes.add(node(graph.message("NodeProto")));
          } else if (g >>> 3 == 5 && (g & 7) == 2) {
            Tensor t = tensor(graph.message("TensorProto"));
            if (t != null) {
              initializers.put(t.name(), t);
            }
          } else {
            graph.skip(g);
          }
        }
      } else {
        model.skip(key);
      }
    }
    if (!graphSeen) {
      throw new IOException("no graph (ModelProto field 7)");
    }
    return new OnnxModel(Collections.unmodifiableMap(initializers), List.copyOf(nodes));
  }

  private static Node node(Wire w) throws IOException {
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    String op = "";
    while (w.hasMore()) {
      int key = w.key();
      switch (key) {
        case (1 << 3) | 2 -> inputs.add(w.string());
        case (2 << 3) | 2 -> outputs.add(w.string());
        case (4 << 3) | 2 -> op = w.string();
        default -> w.skip(key);
      }
    }
    return new Node(op, List.copyOf(inputs), List.copyOf(outputs));
  }

  /** A float initializer, or null for other types (e.g. int64 shape constants). */
  private static Tensor tensor(Wire w) throws IOException {
    List<Long> dims = new ArrayList<>();
    int type = 0;
    String name = "";
    byte[] raw = null;
    List<Float> floats = new ArrayList<>();
    while (w.hasMore()) {
      int key = w.key();
      switch (key) {
        case (1 << 3) -> dims.add(w.varint());
        case (1 << 3) | 2 -> {
          Wire packed = w.message("dims");
          while (packed.hasMore()) {
            dims.add(packed.varint());
          }
        }
        case (2 << 3) -> type = (int) w.varint();
        case (4 << 3) | 5 -> floats.add(Float.intBitsToFloat(w.fixed32()));
        case (4 << 3) | 2 -> {
          Wire packed = w.message("float_data");
          while (packed.hasMore()) {
            floats.add(Float.intBitsToFloat(packed.fixed32()));
          }
        }
        case (8 << 3) | 2 -> name = w.string();
        case (9 << 3) | 2 -> raw = w.bytes();
        default -> w.skip(key);
      }
    }
    if (type != FLOAT) {
      return null;
    }
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    long size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
    float[] values;
    if (raw != null) {
      if (raw.length != size * Float.BYTES) {
        throw new IOException("tensor " + name + " of shape " + Arrays.toString(shape) + " has "
            + raw.length + " bytes of raw data, expected " + size * Float.BYTES);
      }
      values = new float[(int) size];
      ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    } else {
      if (floats.size() != size) {
        throw new IOException("tensor " + name + " of shape " + Arrays.toString(shape) + " has "
            + floats.size() + " values, expected " + size);
      }
      values = new float[(int) size];
      for (int i = 0; i < values.length; i++) {
        values[i] = floats.get(i);
      }
    }
    return new Tensor(name, shape, values);
  }

  /** A cursor over one protobuf message. */
  private static final class Wire {
    private final ByteBuffer buf;
    private final String what;

    Wire(ByteBuffer buf, String what) {
      this.buf = buf;
      this.what = what;
    }

    boolean hasMore() {
      return buf.hasRemaining();
    }

    int key() throws IOException {
      long key = varint();
      if (key >>> 3 == 0 || key > Integer.MAX_VALUE) {
        throw error("invalid field key " + key);
      }
      return (int) key;
    }

    long varint() throws IOException {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (!buf.hasRemaining()) {
          throw error("truncated varint");
        }
        byte b = buf.get();
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw error("varint longer than 10 bytes");
    }

    int fixed32() throws IOException {
      need(4);
      return buf.order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    byte[] bytes() throws IOException {
      int length = length();
      byte[] out = new byte[length];
      buf.get(out);
      return out;
    }

    String string() throws IOException {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    Wire message(String name) throws IOException {
      int length = length();
      ByteBuffer slice = buf.slice().limit(length);
      buf.position(buf.position() + length);
      return new Wire(slice, name);
    }

    void skip(int key) throws IOException {
      switch (key & 7) {
        case 0 -> varint();
        case 1 -> {
          need(8);
          buf.position(buf.position() + 8);
        }
        case 2 -> {
          int length = length();
          buf.position(buf.position() + length);
        }
        case 5 -> {
          need(4);
          buf.position(buf.position() + 4);
        }
        default -> throw error("unsupported wire type " + (key & 7) + " of field " + (key >>> 3));
      }
    }

    private int length() throws IOException {
      long length = varint();
      if (length < 0 || length > buf.remaining()) {
        throw error("length " + length + " runs past the end (" + buf.remaining() + " left)");
      }
      return (int) length;
    }

    private void need(int n) throws IOException {
      if (buf.remaining() < n) {
        throw error("truncated: " + n + " bytes needed, " + buf.remaining() + " left");
      }
    }

    private IOException error(String message) {
      return new IOException(what + " at byte " + buf.position() + ": " + message);
    }
  }
}
