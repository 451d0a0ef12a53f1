package io.github.hidlr.djl.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import io.github.hidlr.core.state.TunerStateFormat;
import io.github.hidlr.core.tuner.TunerState;
import io.github.hidlr.djl.HiDlrStepper;
import io.github.hidlr.djl.Tensors;
import io.github.hidlr.djl.group.GroupMember;
import io.github.hidlr.djl.optim.NdOptimizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.CRC32;

/**
 * A training checkpoint in a folder: every parameter of the model (by full name), the tuner's
 * state, the base optimizer's state when it is one of hidlr's {@link NdOptimizer}s, and a
 * manifest {@value #MANIFEST} written last, with the next epoch and a CRC-32 of every file.
 * Restoring writes the saved values into the existing parameter arrays (so the trainer keeps
 * working), re-freezes groups the tuner had frozen, and refuses a corrupt or mismatched
 * checkpoint with a message naming the problem. On CPU, a run resumed with the same seed
 * repeats the uninterrupted run bit for bit.
 */
public final class Checkpoint {

  /** The manifest file name. */
  public static final String MANIFEST = "checkpoint.properties";
  /** The format written in the manifest. */
  public static final String FORMAT = "hidlr-checkpoint/1";
  private static final String PARAMETERS = "parameters.ndlist";
  private static final String TUNER = "tuner.state";
  private static final String OPTIMIZER = "optimizer.state";

  private Checkpoint() {}

  /**
   * Saves a checkpoint, replacing any in the folder.
   *
   * @param dir the folder, created if missing
   * @param model the model
   * @param stepper the Hi-DLR stepper
   * @param nextEpoch the epoch a resumed run starts with
   * @throws IOException if writing fails
   */
  public static void save(Path dir, Model model, HiDlrStepper stepper, int nextEpoch)
      throws IOException {
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve(MANIFEST));
    Map<String, byte[]> files = new LinkedHashMap<>();
    NDList parameters = new NDList();
    for (Pair<String, Parameter> entry : model.getBlock().getParameters()) {
      NDArray array = entry.getValue().getArray();
      array.setName(entry.getKey());
      parameters.add(array);
    }
    files.put(PARAMETERS, parameters.encode());
    StringWriter tuner = new StringWriter();
    TunerStateFormat.write(stepper.tuner().state(), stepper.tuner().layout(), tuner);
    files.put(TUNER, tuner.toString().getBytes(StandardCharsets.UTF_8));
    if (stepper.optimizer().base() instanceof NdOptimizer optimizer) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        optimizer.saveState(model.getBlock(), out);
      }
      files.put(OPTIMIZER, bytes.toByteArray());
    }
    Properties manifest = new Properties();
    manifest.setProperty("format", FORMAT);
    manifest.setProperty("nextEpoch", Integer.toString(nextEpoch));
    manifest.setProperty("optimizer", stepper.optimizer().base().getClass().getName());
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Files.write(dir.resolve(file.getKey()), file.getValue());
      manifest.setProperty("crc32." + file.getKey(), Long.toHexString(crc(file.getValue())));
    }
    StringWriter text = new StringWriter();
    manifest.store(text, "hidlr checkpoint");
    Files.writeString(dir.resolve(MANIFEST), text.toString());
  }

  /**
   * Restores a checkpoint into a model and stepper built as for the saved run.
   *
   * @param dir the folder
   * @param model the model, initialised
   * @param stepper the stepper over the same groups
   * @return the epoch to resume with
   * @throws IOException if reading fails
   * @throws IllegalArgumentException if the checkpoint is missing, corrupt or does not match
   */
  public static int restore(Path dir, Model model, HiDlrStepper stepper) throws IOException {
    Properties manifest = new Properties();
    try {
      manifest.load(new StringReader(Files.readString(dir.resolve(MANIFEST))));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no checkpoint in " + dir + ": " + MANIFEST
          + " is missing (the save did not finish, or the folder is wrong)", e);
    }
    if (!FORMAT.equals(manifest.getProperty("format"))) {
      throw corrupt(dir, "format is " + manifest.getProperty("format") + ", expected " + FORMAT);
    }
    String savedOptimizer = manifest.getProperty("optimizer");
    String optimizer = stepper.optimizer().base().getClass().getName();
    if (!optimizer.equals(savedOptimizer)) {
      throw new IllegalArgumentException("checkpoint in " + dir + " was saved with optimizer "
          + savedOptimizer + " but the stepper uses " + optimizer);
    }
    Block block = model.getBlock();
    // Read and check everything before changing anything, so a bad checkpoint changes nothing.
    byte[] parameters = read(dir, PARAMETERS, manifest);
    TunerState state = TunerStateFormat.read(new StringReader(
        new String(read(dir, TUNER, manifest), StandardCharsets.UTF_8)), stepper.tuner().layout());
    byte[] optimizerState = stepper.optimizer().base() instanceof NdOptimizer
        ? read(dir, OPTIMIZER, manifest) : null;
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      restoreParameters(dir, block, model.getNDManager(), parameters);
    } finally {
      JniUtils.setGradMode(gradMode);
    }
    stepper.tuner().restore(state);
    boolean[] frozen = state.frozen();
    for (List<GroupMember> members : stepper.groups().membersById().values()) {
      for (GroupMember member : members) {
        if (member.wholeTensor()) {
          member.parameter().freeze(frozen[member.group()]);
        }
      }
    }
    if (stepper.optimizer().base() instanceof NdOptimizer nd) {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(optimizerState))) {
        nd.loadState(block, model.getNDManager(), in);
      }
    }
    try {
      return Integer.parseInt(manifest.getProperty("nextEpoch"));
    } catch (NumberFormatException e) {
      throw corrupt(dir, "nextEpoch is not a number");
    }
  }

  private static void restoreParameters(Path dir, Block block, NDManager manager, byte[] bytes) {
    Map<String, Parameter> byName = new LinkedHashMap<>();
    for (Pair<String, Parameter> entry : block.getParameters()) {
      byName.put(entry.getKey(), entry.getValue());
    }
    try (NDManager scratch = manager.newSubManager()) {
      NDList saved;
      try (InputStream in = new ByteArrayInputStream(bytes)) {
        saved = NDList.decode(scratch, in);
      } catch (IOException | RuntimeException e) {
        throw corrupt(dir, "the parameters do not decode: " + e.getMessage());
      }
      if (saved.size() != byName.size()) {
        throw new IllegalArgumentException("checkpoint in " + dir + " holds " + saved.size()
            + " parameters but the model has " + byName.size() + " " + byName.keySet());
      }
      for (NDArray array : saved) {
        Parameter parameter = byName.get(array.getName());
        if (parameter == null) {
          throw new IllegalArgumentException("checkpoint parameter \"" + array.getName()
              + "\" is not in the model; its parameters: " + byName.keySet());
        }
        if (!parameter.getArray().getShape().equals(array.getShape())
            || parameter.getArray().getDataType() != array.getDataType()) {
          throw new IllegalArgumentException("checkpoint parameter \"" + array.getName()
              + "\" has shape " + array.getShape() + " and type " + array.getDataType()
              + " but the model's has " + parameter.getArray().getShape() + " and "
              + parameter.getArray().getDataType());
        }
        Tensors.assign(parameter.getArray(), array);
      }
    }
  }

  private static byte[] read(Path dir, String name, Properties manifest) throws IOException {
    String expected = manifest.getProperty("crc32." + name);
    if (expected == null) {
      throw corrupt(dir, "the manifest lists no " + name);
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(dir.resolve(name));
    } catch (NoSuchFileException e) {
      throw corrupt(dir, name + " is missing");
    }
    if (!Long.toHexString(crc(bytes)).equals(expected)) {
      throw corrupt(dir, name + " fails its CRC-32 check (modified or damaged)");
    }
    return bytes;
  }

  private static long crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }

  private static IllegalArgumentException corrupt(Path dir, String why) {
    return new IllegalArgumentException("corrupt checkpoint in " + dir + ": " + why
        + ". Use an intact checkpoint or start afresh.");
  }
}
