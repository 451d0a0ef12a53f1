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
import io.github.hidlr.core.tuner.HiDlrTuner;
import io.github.hidlr.djl.HiDlrOptimizer;
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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * A training checkpoint in a folder: every parameter of the model (by full name), the tuner's
 * state and configuration, the base optimizer's state (one of hidlr's {@link NdOptimizer}s;
 * another optimizer is refused, since its state could not be restored), and a manifest
 * {@value #MANIFEST} with the next epoch and a CRC-32 of every file. A save is written beside
 * the folder and swapped in whole, so an interrupted save leaves the previous checkpoint.
 * Restoring checks everything before it changes anything, writes the saved values into the
 * existing parameter arrays (so the trainer keeps working), re-freezes groups the tuner had
 * frozen, and refuses a corrupt or mismatched checkpoint with a message naming the problem,
 * leaving the run as it was. On CPU, a run resumed with the same seed repeats the
 * uninterrupted run bit for bit.
 */
public final class Checkpoint {

  /** The manifest file name. */
  public static final String MANIFEST = "checkpoint.properties";
  /** The format written in the manifest. */
  public static final String FORMAT = "hidlr-checkpoint/1";
  private static final String PARAMETERS = "parameters.ndlist";
  private static final String TUNER = "tuner.state";
  private static final String OPTIMIZER = "optimizer.state";
  /** Manifest keys of the tuner configuration ({@code TunerConfig.toMap()}). */
  private static final String TUNER_KEY = "tuner.";

  private Checkpoint() {}

  /**
   * Saves a checkpoint, replacing any in the folder. The save replaces the whole folder, so a
   * folder that holds anything else is refused and left alone; a save interrupted between its
   * two renames (the folder missing, the last checkpoint in {@code dir.previous}) is repaired
   * first.
   *
   * @param dir the folder of the checkpoint alone: new, empty or a checkpoint; created if
   *     missing
   * @param model the model
   * @param hidlr the Hi-DLR optimizer of the model's trainer
   * @param nextEpoch the epoch a resumed run starts with
   * @throws IOException if writing fails
   * @throws IllegalArgumentException if the folder holds other files, or the base optimizer's
   *     state cannot be saved
   */
  public static void save(Path dir, Model model, HiDlrOptimizer hidlr, int nextEpoch)
      throws IOException {
    if (!(hidlr.base() instanceof NdOptimizer optimizer)) {
      throw new IllegalArgumentException("cannot checkpoint the base optimizer "
          + hidlr.base().getClass().getName() + ": hidlr cannot save its state, so a resumed"
          + " run would not continue this one. Use one of hidlr's optimizers"
          + " (io.github.hidlr.djl.optim.Optimizers), whose state is saved");
    }
    HiDlrTuner tunerOf = tuner(hidlr);
    Path absolute = dir.toAbsolutePath().normalize();
    Path partial = sibling(absolute, ".partial");
    Path previous = sibling(absolute, ".previous");
    if (!Files.exists(absolute) && Files.exists(previous.resolve(MANIFEST))) {
      // A save interrupted between its two renames: put the last complete checkpoint back
      // before anything else, so that this save replaces it as usual.
      Files.move(previous, absolute, StandardCopyOption.ATOMIC_MOVE);
    }
    requireCheckpointFolder(dir);
    Map<String, byte[]> files = new LinkedHashMap<>();
    NDList parameters = new NDList();
    for (Pair<String, Parameter> entry : model.getBlock().getParameters()) {
      NDArray array = entry.getValue().getArray();
      array.setName(entry.getKey());
      parameters.add(array);
    }
    files.put(PARAMETERS, parameters.encode());
    StringWriter tuner = new StringWriter();
    TunerStateFormat.write(tunerOf.state(), tunerOf.layout(), tuner);
    files.put(TUNER, tuner.toString().getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      optimizer.saveState(model.getBlock(), out);
    }
    files.put(OPTIMIZER, bytes.toByteArray());
    Properties manifest = new Properties();
    manifest.setProperty("format", FORMAT);
    manifest.setProperty("nextEpoch", Integer.toString(nextEpoch));
    manifest.setProperty("optimizer", optimizer.getClass().getName());
    tunerOf.config().toMap().forEach((k, v) -> manifest.setProperty(TUNER_KEY + k, v));
    // Written beside the folder and swapped in whole: an interrupted save leaves the previous
    // checkpoint as it was.
    deleteTree(partial);
    Files.createDirectories(partial);
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Files.write(partial.resolve(file.getKey()), file.getValue());
      manifest.setProperty("crc32." + file.getKey(), Long.toHexString(crc(file.getValue())));
    }
    StringWriter text = new StringWriter();
    manifest.store(text, "hidlr checkpoint");
    Files.writeString(partial.resolve(MANIFEST), text.toString());
    deleteTree(previous);
    if (Files.exists(absolute)) {
      Files.move(absolute, previous, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE);
    deleteTree(previous);
  }

  /**
   * Restores a checkpoint into a model and Hi-DLR optimizer built as for the saved run.
   * Everything is read and checked first; if applying it still fails (an optimizer state that
   * does not fit), the model, the tuner and the optimizer are put back as they were before the
   * call.
   *
   * @param dir the folder
   * @param model the model, initialised
   * @param hidlr the Hi-DLR optimizer of the model's trainer, over the same groups, with the
   *     same tuner configuration
   * @return the epoch to resume with
   * @throws IOException if reading fails
   * @throws IllegalArgumentException if the checkpoint is missing, corrupt or does not match;
   *     nothing was changed then
   */
  public static int restore(Path dir, Model model, HiDlrOptimizer hidlr) throws IOException {
    Properties manifest = new Properties();
    try {
      manifest.load(new StringReader(Files.readString(dir.resolve(MANIFEST))));
    } catch (NoSuchFileException e) {
      Path previous = sibling(dir.toAbsolutePath().normalize(), ".previous");
      if (!Files.exists(dir) && Files.exists(previous.resolve(MANIFEST))) {
        throw new IllegalArgumentException("no checkpoint in " + dir + ": a save was"
            + " interrupted between its two renames, and the last complete checkpoint is in "
            + previous + ". Rename it to " + dir.getFileName() + " to restore it (the next"
            + " save also puts it back first)", e);
      }
      throw new IllegalArgumentException("no checkpoint in " + dir + ": " + MANIFEST
          + " is missing (the save did not finish, or the folder is wrong)", e);
    }
    if (!FORMAT.equals(manifest.getProperty("format"))) {
      throw corrupt(dir, "format is " + manifest.getProperty("format") + ", expected " + FORMAT);
    }
    String savedOptimizer = manifest.getProperty("optimizer");
    if (!(hidlr.base() instanceof NdOptimizer optimizer)) {
      throw new IllegalArgumentException("cannot restore into the base optimizer "
          + hidlr.base().getClass().getName() + ": hidlr cannot set its state; use the"
          + " optimizer the checkpoint was saved with, " + savedOptimizer);
    }
    HiDlrTuner tunerOf = tuner(hidlr);
    if (!optimizer.getClass().getName().equals(savedOptimizer)) {
      throw new IllegalArgumentException("checkpoint in " + dir + " was saved with optimizer "
          + savedOptimizer + " but this run uses " + optimizer.getClass().getName());
    }
    int nextEpoch;
    try {
      nextEpoch = Integer.parseInt(manifest.getProperty("nextEpoch"));
    } catch (NumberFormatException e) {
      throw corrupt(dir, "nextEpoch is not a number");
    }
    checkTunerConfig(dir, manifest, tunerOf.config().toMap());
    Block block = model.getBlock();
    byte[] parameters = read(dir, PARAMETERS, manifest);
    TunerState state = TunerStateFormat.read(new StringReader(
        new String(read(dir, TUNER, manifest), StandardCharsets.UTF_8)), tunerOf.layout());
    byte[] optimizerState = read(dir, OPTIMIZER, manifest);
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDManager scratch = model.getNDManager().newSubManager()) {
      Map<Parameter, NDArray> saved = decodeParameters(dir, block, scratch, parameters);
      // A snapshot of what the call may change, to put back if applying fails part-way.
      Map<Parameter, NDArray> before = new LinkedHashMap<>();
      Map<Parameter, Boolean> trainable = new LinkedHashMap<>();
      for (Parameter parameter : block.getParameters().values()) {
        before.put(parameter, parameter.getArray().duplicate());
        before.get(parameter).attach(scratch);
        trainable.put(parameter, parameter.requiresGradient());
      }
      TunerState tunerBefore = tunerOf.state();
      ByteArrayOutputStream optimizerBefore = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(optimizerBefore)) {
        optimizer.saveState(block, out);
      }
      try {
        saved.forEach((parameter, array) -> Tensors.assign(parameter.getArray(), array));
        tunerOf.restore(state);
        freezeAsSaved(hidlr, state.frozen());
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(optimizerState))) {
          optimizer.loadState(block, model.getNDManager(), in);
        }
      } catch (IOException | RuntimeException e) {
        IllegalArgumentException refused = new IllegalArgumentException("checkpoint in " + dir
            + " does not fit this run (" + e.getMessage() + "); nothing was changed", e);
        before.forEach((parameter, array) -> Tensors.assign(parameter.getArray(), array));
        trainable.forEach((parameter, t) -> parameter.freeze(!t));
        tunerOf.restore(tunerBefore);
        try (DataInputStream in = new DataInputStream(
            new ByteArrayInputStream(optimizerBefore.toByteArray()))) {
          optimizer.loadState(block, model.getNDManager(), in);
        } catch (IOException | RuntimeException rollback) {
          // Keeps the reason the checkpoint was refused in front, the failed rollback with it.
          refused.addSuppressed(rollback);
        }
        throw refused;
      }
    } finally {
      JniUtils.setGradMode(gradMode);
    }
    return nextEpoch;
  }

  /** The optimizer's tuner, which needs the model initialised. */
  private static HiDlrTuner tuner(HiDlrOptimizer hidlr) {
    return hidlr.tuner().orElseThrow(() -> new IllegalStateException("the model is not"
        + " initialised: call trainer.initialize(...) before saving or restoring a checkpoint"));
  }

  private static void freezeAsSaved(HiDlrOptimizer hidlr, boolean[] frozen) {
    for (List<GroupMember> members : hidlr.groups().orElseThrow().membersById().values()) {
      for (GroupMember member : members) {
        if (member.wholeTensor()) {
          member.parameter().freeze(frozen[member.group()]);
        }
      }
    }
  }

  private static void checkTunerConfig(Path dir, Properties manifest, Map<String, String> now) {
    List<String> differences = new ArrayList<>();
    for (Map.Entry<String, String> entry : now.entrySet()) {
      String saved = manifest.getProperty(TUNER_KEY + entry.getKey());
      if (saved == null) {
        throw corrupt(dir, "the manifest lists no tuner setting " + entry.getKey());
      }
      if (!saved.equals(entry.getValue())) {
        differences.add(entry.getKey() + ": saved " + saved + ", now " + entry.getValue());
      }
    }
    if (!differences.isEmpty()) {
      throw new IllegalArgumentException("checkpoint in " + dir + " was saved with another"
          + " tuner configuration " + differences + ": build the optimizer with the saved"
          + " configuration to resume, or start afresh");
    }
  }

  private static Path sibling(Path absolute, String suffix) {
    return absolute.resolveSibling(absolute.getFileName() + suffix);
  }

  /**
   * Refuses a folder that exists and holds anything but a checkpoint's own files: a save
   * replaces the whole folder.
   *
   * @param dir the checkpoint folder
   * @throws IllegalArgumentException if it is a file or holds other files
   */
  static void requireCheckpointFolder(Path dir) {
    Path absolute = dir.toAbsolutePath().normalize();
    if (!Files.exists(absolute)) {
      return;
    }
    if (!Files.isDirectory(absolute)) {
      throw new IllegalArgumentException("cannot save a checkpoint to " + dir + ": it is a"
          + " file. Give the checkpoint a folder of its own");
    }
    Set<String> own = Set.of(MANIFEST, PARAMETERS, TUNER, OPTIMIZER);
    Optional<String> other;
    try (Stream<Path> entries = Files.list(absolute)) {
      other = entries.map(p -> p.getFileName().toString())
          .filter(name -> !own.contains(name)).sorted().findFirst();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the checkpoint folder " + dir, e);
    }
    if (other.isPresent()) {
      throw new IllegalArgumentException("refusing to save a checkpoint into " + dir + ": it"
          + " holds \"" + other.get() + "\", which is not part of a checkpoint, and a save"
          + " replaces the whole folder. Give the checkpoint a folder of its own, e.g. "
          + dir.resolve("checkpoint"));
    }
  }

  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Decodes and checks every saved parameter against the model; changes nothing. */
  private static Map<Parameter, NDArray> decodeParameters(Path dir, Block block,
      NDManager scratch, byte[] bytes) {
    Map<String, Parameter> byName = new LinkedHashMap<>();
    for (Pair<String, Parameter> entry : block.getParameters()) {
      byName.put(entry.getKey(), entry.getValue());
    }
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
    Map<Parameter, NDArray> out = new LinkedHashMap<>();
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
      out.put(parameter, array);
    }
    return out;
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
