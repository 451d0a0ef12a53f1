package io.github.hidlr.djl.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one format of hidlr's optimizer state, written by {@link NdOptimizer#saveState} and read by
 * {@link NdOptimizer#loadState}: magic {@code "HDLO"}, version {@value NdOptimizer#STATE_VERSION},
 * the optimizer's class name, its global values (count, then name and {@code double} value each;
 * {@link NdOptimizer#STEP_INDEX} first), its slot names, then per parameter its full name in the
 * block, its step counter and per slot a presence flag and the {@link NDArray#encode()} bytes.
 * Reading checks everything (names, counts, shapes, types, sizes) and hands back what it read;
 * the optimizer installs it only once the whole stream was valid.
 */
final class StateFormat {

  /** "HDLO". */
  private static final int MAGIC = 0x48444C4F;

  /** Room for the serialized header of one array on top of its raw data. */
  private static final int ARRAY_HEADER_ALLOWANCE = 4096;

  private StateFormat() {}

  /**
   * One parameter's state: its full name in the block (or, once read, the parameter), its step
   * counter, and its slot arrays by slot name (absent slots left out).
   */
  record ParameterState(String name, Parameter parameter, long step, Map<String, NDArray> slots)
      implements AutoCloseable {
    /** Closes the slot arrays (of a stream read but not installed). */
    @Override
    public void close() {
      slots.values().forEach(NDArray::close);
    }
  }

  /** What a stream held: the global values by name and each parameter's state. */
  record Contents(Map<String, Double> globals, List<ParameterState> parameters) {}

  static void write(DataOutputStream out, String type, Map<String, Double> globals,
      List<String> slotNames, List<ParameterState> parameters) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(NdOptimizer.STATE_VERSION);
    out.writeUTF(type);
    out.writeInt(globals.size());
    for (Map.Entry<String, Double> e : globals.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeDouble(e.getValue());
    }
    out.writeInt(slotNames.size());
    for (String slot : slotNames) {
      out.writeUTF(slot);
    }
    out.writeInt(parameters.size());
    for (ParameterState p : parameters) {
      out.writeUTF(p.name());
      out.writeLong(p.step());
      for (String slot : slotNames) {
        NDArray array = p.slots().get(slot);
        out.writeBoolean(array != null);
        if (array != null) {
          byte[] bytes = array.encode();
          out.writeInt(bytes.length);
          out.write(bytes);
        }
      }
    }
    out.flush();
  }

  /**
   * Reads a whole stream for an optimizer, checking it against what that optimizer keeps.
   *
   * @param in the stream; not closed
   * @param owner the optimizer that will install the state (type, global names, slots)
   * @param byName the block's parameters by full name
   * @param manager decodes the arrays, which are then owned by the caller
   * @return the contents; nothing of it is installed yet
   * @throws IllegalArgumentException naming what is wrong and the fix; nothing is left open
   * @throws IOException if reading fails
   */
  static Contents read(DataInputStream in, NdOptimizer owner, Map<String, Parameter> byName,
      NDManager manager) throws IOException {
    List<ParameterState> parameters = new ArrayList<>();
    boolean ok = false;
    try {
      Contents contents = readAll(in, owner, byName, manager, parameters);
      ok = true;
      return contents;
    } catch (EOFException e) {
      throw new IllegalArgumentException("optimizer state stream ends early: it is truncated or"
          + " not written by NdOptimizer.saveState", e);
    } finally {
      if (!ok) {
        parameters.forEach(ParameterState::close);
      }
    }
  }

  private static Contents readAll(DataInputStream in, NdOptimizer owner,
      Map<String, Parameter> byName, NDManager manager, List<ParameterState> parameters)
      throws IOException {
    int magic = in.readInt();
    if (magic != MAGIC) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "not an optimizer state"
          + " stream: magic 0x%08X, expected 0x%08X (\"HDLO\"); pass a stream written by"
          + " NdOptimizer.saveState", magic, MAGIC));
    }
    int version = in.readInt();
    if (version != NdOptimizer.STATE_VERSION) {
      throw new IllegalArgumentException("optimizer state version " + version + " is not"
          + " supported; this build reads version " + NdOptimizer.STATE_VERSION);
    }
    String type = in.readUTF();
    String expected = owner.getClass().getName();
    if (!type.equals(expected)) {
      throw new IllegalArgumentException("optimizer state was saved by " + type + ", cannot load"
          + " it into " + expected + "; load it into the same optimizer type");
    }
    int globalCount = in.readInt();
    if (globalCount < 0 || globalCount > 1024) {
      throw new IllegalArgumentException(
          "optimizer state gives " + globalCount + " global values; the stream is corrupt");
    }
    Map<String, Double> globals = new LinkedHashMap<>();
    for (int i = 0; i < globalCount; i++) {
      globals.put(in.readUTF(), in.readDouble());
    }
    Set<String> keeps = owner.globalValues().keySet();
    if (!globals.keySet().equals(keeps)) {
      String method = owner.getClass().getSimpleName();
      throw new IllegalArgumentException("optimizer state holds global values " + globals.keySet()
          + " but " + method + " keeps " + keeps + "; load a state saved by the same version of "
          + method);
    }
    List<String> slotNames = owner.slotNames();
    List<String> savedSlots = new ArrayList<>();
    for (int i = 0, n = count(in, "slot count"); i < n; i++) {
      savedSlots.add(in.readUTF());
    }
    if (!savedSlots.equals(slotNames)) {
      throw new IllegalArgumentException("optimizer state has slots " + savedSlots + " but this "
          + owner + " keeps " + slotNames + "; build the optimizer with the same options"
          + " (momentum, centered, ...) as the one that saved it");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0, n = count(in, "parameter count"); i < n; i++) {
      String name = in.readUTF();
      Parameter parameter = byName.get(name);
      if (parameter == null) {
        throw new IllegalArgumentException("optimizer state names parameter \"" + name + "\","
            + " which the block does not have; known parameters: " + byName.keySet()
            + ". Load into the same architecture that saved it");
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException(
            "optimizer state names parameter \"" + name + "\" twice; the stream is corrupt");
      }
      if (!parameter.isInitialized()) {
        throw new IllegalArgumentException("parameter \"" + name + "\" is not initialized;"
            + " initialize the block (trainer.initialize(...)) before loadState");
      }
      long step = in.readLong();
      if (step < 0) {
        throw new IllegalArgumentException("optimizer state gives parameter \"" + name + "\" step "
            + step + " (< 0); the stream is corrupt");
      }
      ParameterState state = new ParameterState(name, parameter, step, new LinkedHashMap<>());
      parameters.add(state);
      for (String slot : slotNames) {
        if (in.readBoolean()) {
          state.slots().put(slot, readArray(in, manager, name, slot, parameter.getArray()));
        }
      }
    }
    return new Contents(globals, parameters);
  }

  private static NDArray readArray(DataInputStream in, NDManager manager, String name,
      String slot, NDArray weight) throws IOException {
    int length = in.readInt();
    long limit = weight.size() * 8L + ARRAY_HEADER_ALLOWANCE;
    if (length < 0 || length > limit) {
      throw new IllegalArgumentException("optimizer state gives slot " + slot + " of parameter \""
          + name + "\" " + length + " bytes, outside [0, " + limit + "] for shape "
          + weight.getShape() + "; the stream is corrupt");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    NDArray decoded;
    try {
      decoded = manager.decode(bytes);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot decode slot " + slot + " of parameter \"" + name
          + "\"; the stream is corrupt", e);
    }
    // Owned by the optimizer from now on, like its other state; a caller's NDScope or manager
    // must not close it.
    NDScope.unregister(decoded);
    decoded.detach();
    if (!decoded.getShape().equals(weight.getShape())
        || decoded.getDataType() != weight.getDataType()) {
      String got = decoded.getShape() + " and type " + decoded.getDataType();
      decoded.close();
      throw new IllegalArgumentException("slot " + slot + " of parameter \"" + name + "\" has"
          + " shape " + got + ", but the parameter has shape " + weight.getShape() + " and type "
          + weight.getDataType() + "; load into the same architecture that saved it");
    }
    return decoded;
  }

  private static int count(DataInputStream in, String what) throws IOException {
    int count = in.readInt();
    if (count < 0) {
      throw new IllegalArgumentException(
          "optimizer state gives " + what + " " + count + " (< 0); the stream is corrupt");
    }
    return count;
  }
}
