package io.github.hidlr.cli.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.LZMA2InputStream;

/**
 * Reads the data sets of an installed R package without R: the lazy-load database
 * {@code data/Rdata.rdx} (an index, gzip-compressed) and {@code data/Rdata.rdb} (the objects),
 * in R's XDR serialization format (version 2 or 3).
 *
 * <p>The index is a list whose {@code variables} element maps each object's name to its
 * {@code (offset, length)} in the database. Each object there is a 4-byte big-endian
 * uncompressed length, a compression type byte ({@code Z}: a raw LZMA2 stream, what
 * {@code tools:::makeLazyLoadDB(compress = 3)} writes) and the compressed serialization.
 * Only what data frames of numbers, strings and factors need is read: vectors of logicals,
 * integers, doubles and strings, lists, pairlists of attributes, symbols and references.
 */
public final class RData {

  /** An R vector: its SEXP type, values and attributes. */
  public record Vector(int type, Object values, Map<String, Object> attributes) {

    /** R's {@code STRSXP}. */
    public static final int STRINGS = 16;
    /** R's {@code INTSXP}. */
    public static final int INTEGERS = 13;
    /** R's {@code REALSXP}. */
    public static final int DOUBLES = 14;
    /** R's {@code LGLSXP}. */
    public static final int LOGICALS = 10;
    /** R's {@code VECSXP}. */
    public static final int LIST = 19;

    /**
     * The strings of a character vector ({@code NA} as null).
     *
     * @return the values
     * @throws IllegalStateException if this is not a character vector
     */
    public String[] strings() {
      if (type != STRINGS) {
        throw new IllegalStateException("not a character vector (SEXP type " + type + ")");
      }
      return (String[]) values;
    }

    /**
     * The values of an integer or logical vector (a factor's codes, from 1).
     *
     * @return the values
     * @throws IllegalStateException if this is not an integer vector
     */
    public int[] integers() {
      if (type != INTEGERS && type != LOGICALS) {
        throw new IllegalStateException("not an integer vector (SEXP type " + type + ")");
      }
      return (int[]) values;
    }

    /**
     * The elements of a list.
     *
     * @return the elements
     * @throws IllegalStateException if this is not a list
     */
    @SuppressWarnings("unchecked")
    public List<Object> elements() {
      if (type != LIST) {
        throw new IllegalStateException("not a list (SEXP type " + type + ")");
      }
      return (List<Object>) values;
    }

    /**
     * The {@code names} attribute.
     *
     * @return the names, or an empty array
     */
    public String[] names() {
      Object names = attributes.get("names");
      return names instanceof Vector v && v.type == STRINGS ? v.strings() : new String[0];
    }

    /**
     * A list element by name.
     *
     * @param name the element's name
     * @return the element
     * @throws IllegalArgumentException naming the elements if there is none of that name
     */
    public Object element(String name) {
      String[] names = names();
      for (int i = 0; i < names.length; i++) {
        if (name.equals(names[i])) {
          return elements().get(i);
        }
      }
      throw new IllegalArgumentException("no element \"" + name + "\"; elements: "
          + List.of(names));
    }

    /**
     * A factor's values as its level labels.
     *
     * @return one label per value ({@code NA} as null)
     * @throws IllegalStateException if this is not a factor
     */
    public String[] factorLabels() {
      if (!(attributes.get("levels") instanceof Vector levels)) {
        throw new IllegalStateException("not a factor: no levels attribute");
      }
      String[] labels = levels.strings();
      int[] codes = integers();
      String[] out = new String[codes.length];
      for (int i = 0; i < codes.length; i++) {
        out[i] = codes[i] == Integer.MIN_VALUE ? null : labels[codes[i] - 1];
      }
      return out;
    }
  }

  private static final int NIL = 254;
  private static final int REFERENCE = 255;
  private static final int SYMBOL = 1;
  private static final int PAIRLIST = 2;
  private static final int CHARS = 9;
  private static final int NA_STRING_LENGTH = -1;

  private RData() {}

  /**
   * The objects of a lazy-load database by name, each as {@code {offset, length}}.
   *
   * @param rdx the bytes of {@code Rdata.rdx}
   * @return the index
   * @throws IOException if it is not an R lazy-load index
   */
  public static Map<String, long[]> index(byte[] rdx) throws IOException {
    byte[] serialized;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(rdx))) {
      serialized = in.readAllBytes();
    } catch (IOException e) {
      // R writes the index with zlib when not gzip; both end up here as "not readable".
      throw new IOException("Rdata.rdx is not a gzip-compressed R index: " + e.getMessage(), e);
    }
    Vector variables = (Vector) ((Vector) unserialize(serialized)).element("variables");
    Map<String, long[]> out = new LinkedHashMap<>();
    String[] names = variables.names();
    for (int i = 0; i < names.length; i++) {
      Vector position = (Vector) variables.elements().get(i);
      int[] ints = position.integers();
      out.put(names[i], new long[] {ints[0], ints[1]});
    }
    return out;
  }

  /**
   * One object of a lazy-load database.
   *
   * @param rdb the bytes of {@code Rdata.rdb}
   * @param index from {@link #index}
   * @param name the object's name
   * @return the object (a {@link Vector}, or null for R's NULL)
   * @throws IOException if the object is missing, truncated, or compressed otherwise than
   *     with LZMA2
   */
  public static Object object(byte[] rdb, Map<String, long[]> index, String name)
      throws IOException {
    long[] position = index.get(name);
    if (position == null) {
      throw new IOException("no object \"" + name + "\" in the R database; objects: "
          + index.keySet());
    }
    long offset = position[0];
    long length = position[1];
    if (offset < 0 || length < 5 || offset + length > rdb.length) {
      throw new IOException("object \"" + name + "\" at " + offset + "+" + length
          + " lies outside the database of " + rdb.length + " bytes (truncated file?)");
    }
    ByteBuffer header = ByteBuffer.wrap(rdb, (int) offset, 5);
    int size = header.getInt();
    byte type = header.get();
    if (type != 'Z') {
      throw new IOException("object \"" + name + "\" is compressed with type '" + (char) type
          + "'; only LZMA2 ('Z') is read");
    }
    if (size < 0) {
      throw new IOException("object \"" + name + "\" claims " + size + " bytes");
    }
    byte[] serialized = new byte[size];
    // A dictionary as large as the output is all the decoder can use; a larger one only costs.
    int dictionary = Math.max(4096, Math.min(size, LZMA2InputStream.DICT_SIZE_MAX));
    try (InputStream in = new LZMA2InputStream(new ByteArrayInputStream(rdb, (int) offset + 5,
        (int) length - 5), dictionary)) {
      int read = in.readNBytes(serialized, 0, size);
      if (read != size) {
        throw new IOException("object \"" + name + "\" decompresses to " + read
            + " bytes, its header says " + size);
      }
    }
    return unserialize(serialized);
  }

  /**
   * Reads one serialized R object (XDR format, version 2 or 3).
   *
   * @param bytes the serialization, starting with {@code X\n}
   * @return the object
   * @throws IOException if the bytes are not a supported R serialization
   */
  public static Object unserialize(byte[] bytes) throws IOException {
    if (bytes.length < 14 || bytes[0] != 'X' || bytes[1] != '\n') {
      throw new IOException("not an R XDR serialization (it must start with \"X\\n\")");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 2, bytes.length - 2);
    try {
      int version = in.getInt();
      in.getInt();
      in.getInt();
      if (version == 3) {
        int encodingLength = in.getInt();
        in.position(in.position() + encodingLength);
      } else if (version != 2) {
        throw new IOException("R serialization version " + version + " is not supported");
      }
      return new Reader(in).item();
    } catch (BufferUnderflowException e) {
      throw new IOException("the R serialization is truncated", e);
    }
  }

  /** Reads items, keeping the reference table of symbols. */
  private static final class Reader {
    private final ByteBuffer in;
    private final List<Object> references = new ArrayList<>();

    Reader(ByteBuffer in) {
      this.in = in;
    }

    Object item() throws IOException {
      int flags = in.getInt();
      int type = flags & 0xFF;
      boolean hasAttributes = (flags & (1 << 9)) != 0;
      boolean hasTag = (flags & (1 << 10)) != 0;
      switch (type) {
        case NIL:
          return null;
        case REFERENCE: {
          int index = flags >>> 8;
          if (index < 1 || index > references.size()) {
            throw new IOException("reference " + index + " to an unknown object");
          }
          return references.get(index - 1);
        }
        case SYMBOL: {
          String name = (String) item();
          Symbol symbol = new Symbol(name);
          references.add(symbol);
          return symbol;
        }
        case PAIRLIST:
          return pairlist(hasAttributes, hasTag);
        case CHARS:
          return chars();
        case Vector.STRINGS: {
          String[] values = new String[length()];
          for (int i = 0; i < values.length; i++) {
            values[i] = (String) item();
          }
          return new Vector(type, values, attributes(hasAttributes));
        }
        case Vector.INTEGERS:
        case Vector.LOGICALS: {
          int[] values = new int[length()];
          for (int i = 0; i < values.length; i++) {
            values[i] = in.getInt();
          }
          return new Vector(type, values, attributes(hasAttributes));
        }
        case Vector.DOUBLES: {
          double[] values = new double[length()];
          for (int i = 0; i < values.length; i++) {
            values[i] = in.getDouble();
          }
          return new Vector(type, values, attributes(hasAttributes));
        }
        case Vector.LIST: {
          int n = length();
          List<Object> values = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            values.add(item());
          }
          return new Vector(type, values, attributes(hasAttributes));
        }
        default:
          throw new IOException("R object of SEXP type " + type + " is not supported");
      }
    }

    private int length() throws IOException {
      int n = in.getInt();
      if (n < 0 || n > in.remaining()) {
        throw new IOException("vector length " + n + " does not fit the "
            + in.remaining() + " bytes left");
      }
      return n;
    }

    private String chars() throws IOException {
      int n = in.getInt();
      if (n == NA_STRING_LENGTH) {
        return null;
      }
      if (n < 0 || n > in.remaining()) {
        throw new IOException("string length " + n + " runs past the end");
      }
      byte[] utf8 = new byte[n];
      in.get(utf8);
      return new String(utf8, StandardCharsets.UTF_8);
    }

    /** A pairlist as a tag → value map (attributes are pairlists). */
    private Map<String, Object> pairlist(boolean hasAttributes, boolean hasTag)
        throws IOException {
      Map<String, Object> out = new LinkedHashMap<>();
      boolean attributes = hasAttributes;
      boolean tagged = hasTag;
      while (true) {
        if (attributes) {
          item();
        }
        String tag = tagged ? ((Symbol) item()).name() : Integer.toString(out.size());
        out.put(tag, item());
        int flags = in.getInt();
        int type = flags & 0xFF;
        if (type == NIL) {
          return out;
        }
        if (type != PAIRLIST) {
          throw new IOException("a pairlist ends in SEXP type " + type);
        }
        attributes = (flags & (1 << 9)) != 0;
        tagged = (flags & (1 << 10)) != 0;
      }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> attributes(boolean present) throws IOException {
      if (!present) {
        return Map.of();
      }
      Object list = item();
      if (!(list instanceof Map<?, ?> map)) {
        throw new IOException("attributes are not a pairlist");
      }
      return (Map<String, Object>) map;
    }
  }

  /** An R symbol. */
  private record Symbol(String name) {}
}
