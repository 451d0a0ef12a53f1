package io.github.hidlr.cli.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.FinishableOutputStream;
import org.tukaani.xz.FinishableWrapperOutputStream;

/** The R lazy-load reader on a database written here as R writes one. */
class RDataTest {

  /** Writes R's XDR serialization (version 3). */
  private static final class Writer {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final DataOutputStream out = new DataOutputStream(bytes);
    int symbols;
    final java.util.Map<String, Integer> symbolRefs = new java.util.HashMap<>();

    Writer() throws IOException {
      out.writeBytes("X\n");
      out.writeInt(3);
      out.writeInt(0x040200);
      out.writeInt(0x030500);
      out.writeInt(5);
      out.writeBytes("UTF-8");
    }

    void chars(String s) throws IOException {
      out.writeInt(9 | (1 << 18));
      if (s == null) {
        out.writeInt(-1);
        return;
      }
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      out.writeInt(utf8.length);
      out.write(utf8);
    }

    void symbol(String name) throws IOException {
      Integer ref = symbolRefs.get(name);
      if (ref != null) {
        out.writeInt(255 | (ref << 8));
        return;
      }
      out.writeInt(1);
      chars(name);
      symbolRefs.put(name, ++symbols);
    }

    void strings(String[] values, Map<String, Runnable> attributes) throws IOException {
      out.writeInt(16 | (attributes.isEmpty() ? 0 : 1 << 9));
      out.writeInt(values.length);
      for (String v : values) {
        chars(v);
      }
      attributes(attributes);
    }

    void integers(int[] values, Map<String, Runnable> attributes) throws IOException {
      out.writeInt(13 | (attributes.isEmpty() ? 0 : 1 << 9));
      out.writeInt(values.length);
      for (int v : values) {
        out.writeInt(v);
      }
      attributes(attributes);
    }

    void attributes(Map<String, Runnable> attributes) throws IOException {
      if (attributes.isEmpty()) {
        return;
      }
      for (Map.Entry<String, Runnable> a : attributes.entrySet()) {
        out.writeInt(2 | (1 << 10));
        symbol(a.getKey());
        a.getValue().run();
      }
      out.writeInt(254);
    }

    byte[] toBytes() {
      return bytes.toByteArray();
    }
  }

  private interface Body {
    void write(Writer w) throws IOException;
  }

  private static Runnable unchecked(Writer w, Body body) {
    return () -> {
      try {
        body.write(w);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /** A data frame (review: chr, score: factor great/other) in R's serialization. */
  private static byte[] frame(String[] reviews, int[] scoreCodes) throws IOException {
    Writer w = new Writer();
    w.out.writeInt(19 | (1 << 9));
    w.out.writeInt(2);
    w.strings(reviews, Map.of());
    w.integers(scoreCodes, new java.util.LinkedHashMap<>(Map.of(
        "levels", unchecked(w, x -> x.strings(new String[] {"great", "other"}, Map.of())))));
    w.attributes(Map.of("names", unchecked(w, x -> x.strings(new String[] {"review", "score"},
        Map.of()))));
    return w.toBytes();
  }

  private static byte[] lzma2(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (FinishableOutputStream lzma = new LZMA2Options().getOutputStream(
        new FinishableWrapperOutputStream(out))) {
      lzma.write(data);
    }
    return out.toByteArray();
  }

  /** The index: list(variables = list(name = c(offset, length))). */
  private static byte[] index(String name, int offset, int length) throws IOException {
    Writer w = new Writer();
    w.out.writeInt(19 | (1 << 9));
    w.out.writeInt(1);
    w.out.writeInt(19 | (1 << 9));
    w.out.writeInt(1);
    w.integers(new int[] {offset, length}, Map.of());
    w.attributes(Map.of("names", unchecked(w, x -> x.strings(new String[] {name}, Map.of()))));
    w.attributes(Map.of("names", unchecked(w, x -> x.strings(new String[] {"variables"},
        Map.of()))));
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(w.toBytes());
    }
    return gz.toByteArray();
  }

  @Test
  void readsADataFrameOfStringsAndAFactorFromALazyLoadDatabase() throws IOException {
    byte[] frame = frame(new String[] {"Tasty.<br />Buy it", "meh", null}, new int[] {1, 2, 1});
    byte[] compressed = lzma2(frame);
    ByteArrayOutputStream rdb = new ByteArrayOutputStream();
    rdb.write(new byte[7]);  // another object before ours
    DataOutputStream out = new DataOutputStream(rdb);
    out.writeInt(frame.length);
    out.writeByte('Z');
    out.write(compressed);
    Map<String, long[]> index = RData.index(index("reviews", 7, compressed.length + 5));
    assertThat(index).containsOnlyKeys("reviews");
    RData.Vector df = (RData.Vector) RData.object(rdb.toByteArray(), index, "reviews");
    assertThat(((RData.Vector) df.element("review")).strings())
        .containsExactly("Tasty.<br />Buy it", "meh", null);
    assertThat(((RData.Vector) df.element("score")).factorLabels())
        .containsExactly("great", "other", "great");
    assertThatThrownBy(() -> df.element("stars")).hasMessageContaining("[review, score]");
  }

  @Test
  void truncatedOrForeignBytesAreClearErrors() throws IOException {
    byte[] frame = frame(new String[] {"a"}, new int[] {1});
    assertThatThrownBy(() -> RData.unserialize(Arrays.copyOf(frame, frame.length - 3)))
        .isInstanceOf(IOException.class).hasMessageContaining("truncated");
    assertThatThrownBy(() -> RData.unserialize("RDX3\nabcdefghijk".getBytes()))
        .isInstanceOf(IOException.class).hasMessageContaining("not an R XDR serialization");
    Map<String, long[]> index = RData.index(index("x", 0, 100));
    assertThatThrownBy(() -> RData.object(new byte[50], index, "x"))
        .isInstanceOf(IOException.class).hasMessageContaining("truncated file");
    assertThatThrownBy(() -> RData.object(new byte[50], index, "y"))
        .isInstanceOf(IOException.class).hasMessageContaining("objects: [x]");
  }
}
