package io.github.hidlr.cli.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ONNX reader on model files written here, field by field, in protobuf's wire format. */
class OnnxModelTest {

  /** A minimal protobuf writer: varints, length-delimited fields, fixed32. */
  private static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(int field, long value) {
      key(field, 0);
      raw(value);
      return this;
    }

    Proto bytes(int field, byte[] value) {
      key(field, 2);
      raw(value.length);
      out.writeBytes(value);
      return this;
    }

    Proto string(int field, String value) {
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Proto message(int field, Proto value) {
      return bytes(field, value.toBytes());
    }

    Proto fixed32(int field, float value) {
      key(field, 5);
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value)
          .array());
      return this;
    }

    private void key(int field, int wire) {
      raw(((long) field << 3) | wire);
    }

    private void raw(long value) {
      while ((value & ~0x7FL) != 0) {
        out.write((int) ((value & 0x7F) | 0x80));
        value >>>= 7;
      }
      out.write((int) value);
    }

    byte[] toBytes() {
      return out.toByteArray();
    }
  }

  private static byte[] littleEndian(float... values) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      buffer.putFloat(v);
    }
    return buffer.array();
  }

  /** A model: a MatMul by a raw-data [2, 3] matrix, an Add of a float_data bias. */
  private static byte[] model() {
    Proto matrix = new Proto().varint(1, 2).varint(1, 3).varint(2, 1)
        .string(8, "onnx::MatMul_7").bytes(9, littleEndian(1, 2, 3, 4, 5, 6));
    Proto bias = new Proto().varint(1, 3).varint(2, 1).fixed32(4, 0.5f).fixed32(4, -1f)
        .fixed32(4, 2f).string(8, "dense.bias");
    Proto shape = new Proto().varint(1, 1).varint(2, 7).string(8, "shape").bytes(9, new byte[8]);
    Proto matMul = new Proto().string(1, "x").string(1, "onnx::MatMul_7").string(2, "mm")
        .string(3, "node0").string(4, "MatMul");
    Proto add = new Proto().string(1, "dense.bias").string(1, "mm").string(2, "y")
        .string(4, "Add");
    Proto graph = new Proto().message(1, matMul).message(1, add).string(2, "g")
        .message(5, matrix).message(5, bias).message(5, shape);
    return new Proto().varint(1, 8).string(2, "test").message(7, graph).toBytes();
  }

  @Test
  void readsFloatInitializersInBothEncodingsAndTheNodes(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("m.onnx");
    Files.write(file, model());
    OnnxModel onnx = OnnxModel.read(file);
    assertThat(onnx.initializers().keySet()).containsExactly("onnx::MatMul_7", "dense.bias");
    OnnxModel.Tensor matrix = onnx.initializers().get("onnx::MatMul_7");
    assertThat(matrix.shape()).containsExactly(2, 3);
    assertThat(matrix.values()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(onnx.initializers().get("dense.bias").values()).containsExactly(0.5f, -1f, 2f);
    assertThat(onnx.nodes()).extracting(OnnxModel.Node::opType).containsExactly("MatMul", "Add");
    assertThat(onnx.nodes().get(1).inputs()).containsExactly("dense.bias", "mm");
  }

  @Test
  void aTruncatedOrInconsistentFileIsRefusedWithWhereAndWhy(@TempDir Path dir)
      throws IOException {
    byte[] whole = model();
    Path file = dir.resolve("cut.onnx");
    Files.write(file, Arrays.copyOf(whole, whole.length - 5));
    assertThatThrownBy(() -> OnnxModel.read(file)).isInstanceOf(IOException.class)
        .hasMessageContaining("cut.onnx is not a readable ONNX model")
        .hasMessageContaining("runs past the end")
        .hasMessageContaining("hidlr data fetch");
    byte[] wrongSize = new Proto().message(7, new Proto().message(5, new Proto().varint(1, 4)
        .varint(2, 1).string(8, "w").bytes(9, littleEndian(1, 2)))).toBytes();
    assertThatThrownBy(() -> OnnxModel.parse(wrongSize)).isInstanceOf(IOException.class)
        .hasMessageContaining("tensor w of shape [4] has 8 bytes of raw data, expected 16");
    assertThatThrownBy(() -> OnnxModel.parse(new Proto().varint(1, 8).toBytes()))
        .hasMessageContaining("no graph");
  }
}
