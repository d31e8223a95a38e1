package org.sealpost.relay.config;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sealpost.proto.address.Transport;

/**
 * Reads and validates the relay configuration. Sources, lowest precedence first: embedded defaults,
 * the config file (Java properties; {@code --config FILE} or {@code SEALPOST_CONFIG}), {@code
 * SEALPOST_*} environment variables, command-line flags. Every problem found is reported at once,
 * each naming its setting and where the value came from; secret values are never repeated.
 */
public final class RelayConfigLoader {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
  private static final Pattern DECIMAL = Pattern.compile("-?(\\d+(\\.\\d+)?|\\.\\d+)");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private static final Pattern SIZE =
      Pattern.compile("(\\d{1,12})([kmg]?)", Pattern.CASE_INSENSITIVE);
  private static final long MIN_BUFFER_BUDGET = 64 * 1024;
  private static final long MAX_BUFFER_BUDGET = 1L << 40;

  private final int availableProcessors;
  private final long maxHeapBytes;

  private RelayConfigLoader(int availableProcessors, long maxHeapBytes) {
    this.availableProcessors = availableProcessors;
    this.maxHeapBytes = maxHeapBytes;
  }

  private static RelayConfigLoader forThisJvm() {
    Runtime rt = Runtime.getRuntime();
    return new RelayConfigLoader(rt.availableProcessors(), rt.maxMemory());
  }

  /**
   * Loads the configuration the way {@code sealpost relay} does.
   *
   * @param args command-line flags ({@code --listen-port 8443}, {@code --tls-enabled=false}, {@code
   *     --config FILE})
   * @param env the process environment
   * @throws ConfigException naming every bad setting
   */
  public static RelayConfig load(List<String> args, Map<String, String> env) {
    return forThisJvm().loadAll(args, env);
  }

  /** Builds a configuration from settings keyed by {@link Setting#key()} over the defaults. */
  public static RelayConfig fromSettings(Map<String, String> settings) {
    RelayConfigLoader loader = forThisJvm();
    List<ConfigProblem> problems = new ArrayList<>();
    Map<Setting, Sourced> values = defaults();
    settings.forEach(
        (key, value) ->
            Setting.byKey(key)
                .ifPresentOrElse(
                    s -> values.put(s, new Sourced(value, "the given settings")),
                    () -> problems.add(unknown(key, "the given settings"))));
    return loader.validate(values, problems);
  }

  private RelayConfig loadAll(List<String> args, Map<String, String> env) {
    List<ConfigProblem> problems = new ArrayList<>();
    Map<Setting, Sourced> flags = new EnumMap<>(Setting.class);
    Optional<String> configFlag = parseArgs(args, flags, problems);

    Map<Setting, Sourced> values = defaults();
    Optional<String> configFile =
        configFlag.or(() -> Optional.ofNullable(env.get(Setting.CONFIG_FILE_ENV)));
    configFile.ifPresent(f -> readFile(Path.of(f), values, problems));
    for (Setting s : Setting.values()) {
      String v = env.get(s.envVar());
      if (v != null) {
        values.put(s, new Sourced(v, "environment variable " + s.envVar()));
      }
    }
    values.putAll(flags);
    return validate(values, problems);
  }

  private static Map<Setting, Sourced> defaults() {
    Map<Setting, Sourced> values = new EnumMap<>(Setting.class);
    for (Setting s : Setting.values()) {
      values.put(s, new Sourced(s.defaultValue(), "the embedded default"));
    }
    return values;
  }

  private static Optional<String> parseArgs(
      List<String> args, Map<Setting, Sourced> flags, List<ConfigProblem> problems) {
    Optional<String> configFile = Optional.empty();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        problems.add(
            new ConfigProblem(
                arg,
                ConfigError.BAD_ARGUMENT,
                "unexpected argument '" + arg + "': flags are --name value or --name=value"));
        continue;
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      Optional<Setting> setting = Setting.byFlag(name);
      boolean isConfig = name.equals(Setting.CONFIG_FILE_FLAG);
      if (setting.isEmpty() && !isConfig) {
        problems.add(
            new ConfigProblem(
                name, ConfigError.UNKNOWN_SETTING, "unknown flag " + name + " (see --help)"));
        if (eq < 0 && i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
          i++;
        }
        continue;
      }
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        value = args.get(++i);
      } else if (setting.isPresent() && setting.get().defaultValue().matches("true|false")) {
        value = "true"; // a bare boolean flag switches the setting on
      } else {
        problems.add(new ConfigProblem(name, ConfigError.BAD_ARGUMENT, name + " needs a value"));
        continue;
      }
      if (isConfig) {
        configFile = Optional.of(value);
      } else {
        flags.put(setting.get(), new Sourced(value, "flag " + name));
      }
    }
    return configFile;
  }

  private static void readFile(
      Path file, Map<Setting, Sourced> values, List<ConfigProblem> problems) {
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(r);
    } catch (IOException | IllegalArgumentException e) {
      problems.add(
          new ConfigProblem(
              Setting.CONFIG_FILE_FLAG.substring(2),
              ConfigError.FILE_UNREADABLE,
              "config file " + file + " cannot be read: " + e.getClass().getSimpleName()));
      return;
    }
    String source = "config file " + file;
    for (String key : props.stringPropertyNames()) {
      Optional<Setting> s = Setting.byKey(key);
      if (s.isPresent()) {
        values.put(s.get(), new Sourced(props.getProperty(key).trim(), source));
      } else {
        problems.add(unknown(key, source));
      }
    }
  }

  private static ConfigProblem unknown(String key, String source) {
    return new ConfigProblem(
        key, ConfigError.UNKNOWN_SETTING, "unknown setting '" + key + "' in " + source);
  }

  private RelayConfig validate(Map<Setting, Sourced> values, List<ConfigProblem> problems) {
    Parser p = new Parser(values, problems);
    Path dataDir = Path.of(p.nonEmpty(Setting.DATA_DIR));
    boolean initialise = p.bool(Setting.DATA_DIR_INITIALISE);
    String listenHost = p.host(Setting.LISTEN_HOST);
    int listenPort = p.integer(Setting.LISTEN_PORT, 0, 65535);
    String publicHost = p.host(Setting.PUBLIC_HOST);
    // issue 12: public port and scheme
    int publicPort =
        p.raw(Setting.PUBLIC_PORT).isEmpty() ? 0 : p.integer(Setting.PUBLIC_PORT, 1, 65535);
    Optional<Transport> publicTransport = p.transport(Setting.PUBLIC_SCHEME);
    String adminHost = p.host(Setting.ADMIN_HOST);
    int adminPort = p.integer(Setting.ADMIN_PORT, 0, 65535);
    boolean allowNonLoopback = p.bool(Setting.ADMIN_ALLOW_NON_LOOPBACK);
    if (!adminHost.isEmpty() && !allowNonLoopback && !isLoopback(adminHost)) {
      p.problem(
          Setting.ADMIN_HOST,
          ConfigError.INVALID_VALUE,
          "is not a loopback address; the admin server exposes metrics and stays on 127.0.0.1"
              + " unless "
              + Setting.ADMIN_ALLOW_NON_LOOPBACK.key()
              + "=true");
    }
    if (!listenHost.isEmpty() && !adminHost.isEmpty()) {
      checkAdminApart(p, listenHost, listenPort, adminHost, adminPort);
    }
    boolean tls = p.bool(Setting.TLS_ENABLED);
    Optional<Path> cert = p.optionalFile(Setting.TLS_CERT);
    Optional<Path> key = p.optionalFile(Setting.TLS_KEY);
    if (cert.isPresent() != key.isPresent()) {
      p.problem(
          cert.isPresent() ? Setting.TLS_KEY : Setting.TLS_CERT,
          ConfigError.CONFLICT,
          "must be set together with "
              + (cert.isPresent() ? Setting.TLS_CERT : Setting.TLS_KEY).key()
              + " (set both, or neither for a generated self-signed certificate)");
    }
    TlsEngine engine = p.tlsEngine(Setting.TLS_ENGINE);
    if (!tls && cert.isPresent()) {
      p.problem(
          Setting.TLS_CERT,
          ConfigError.CONFLICT,
          "is set but " + Setting.TLS_ENABLED.key() + "=false: remove one of them");
    }
    int blockSize = p.integer(Setting.BLOCK_SIZE, 1024, 65535);
    int quota = p.integer(Setting.QUEUE_QUOTA, 1, 1_000_000);
    Duration ttl = p.duration(Setting.QUEUE_TTL, Duration.ofSeconds(1), Duration.ofDays(3650));
    Duration idleExpiry =
        p.duration(Setting.QUEUE_IDLE_EXPIRY, Duration.ofSeconds(1), Duration.ofDays(3650));
    if (ttl.compareTo(idleExpiry) > 0) {
      p.problem(
          Setting.QUEUE_IDLE_EXPIRY,
          ConfigError.CONFLICT,
          "must not be shorter than " + Setting.QUEUE_TTL.key());
    }
    int createBurst = p.integer(Setting.QUEUE_CREATE_BURST, 1, 1_000_000);
    double createRate = p.positiveDecimal(Setting.QUEUE_CREATE_RATE, 1_000_000);
    int pendingCache = p.integer(Setting.QUEUE_PENDING_CACHE, 0, 65_536);
    double createRateGlobal = p.positiveDecimal(Setting.QUEUE_CREATE_RATE_GLOBAL, 1_000_000);
    int storeMaxQueues = p.integer(Setting.STORE_MAX_QUEUES, 1, 1_000_000_000);
    int storeMaxMib = p.integer(Setting.STORE_MAX_MIB, 0, Integer.MAX_VALUE);
    int window = p.integer(Setting.DELIVERY_WINDOW, 1, 1024);
    Duration handshake =
        p.duration(Setting.HANDSHAKE_DEADLINE, Duration.ofMillis(10), Duration.ofMinutes(5));
    Duration idle = p.duration(Setting.IDLE_TIMEOUT, Duration.ofMillis(10), Duration.ofDays(1));
    int maxOutbound = p.integer(Setting.MAX_OUTBOUND_BLOCKS, 2, 65536);
    Duration writeStall =
        p.duration(Setting.WRITE_STALL_TIMEOUT, Duration.ofMillis(10), Duration.ofHours(1));
    long budget =
        p.raw(Setting.BUFFER_BUDGET).isEmpty()
            ? Math.max(MIN_BUFFER_BUDGET, maxHeapBytes / 4)
            : p.size(Setting.BUFFER_BUDGET, MIN_BUFFER_BUDGET, MAX_BUFFER_BUDGET);
    int maxCommands = p.integer(Setting.MAX_OUTSTANDING_COMMANDS, 1, 1_000_000);
    String loops = p.raw(Setting.EVENT_LOOPS);
    int eventLoops =
        loops.isEmpty() ? availableProcessors : p.integer(Setting.EVENT_LOOPS, 1, 1024);
    Optional<Secret> token = p.token(Setting.CREATE_TOKEN);
    Duration grace = p.duration(Setting.SHUTDOWN_GRACE, Duration.ZERO, Duration.ofMinutes(10));
    // issue 11: two-hop sending
    ForwardSettings forward =
        new ForwardSettings(
            p.bool(Setting.FORWARD_ENABLED),
            p.bool(Setting.FORWARD_PRIVATE_DESTINATIONS),
            p.integer(Setting.FORWARD_SESSIONS_PER_DESTINATION, 1, 64),
            p.integer(Setting.FORWARD_MAX_DESTINATIONS, 1, 65_536),
            p.integer(Setting.FORWARD_DESTINATIONS_PER_CONNECTION, 1, 1024),
            p.positiveDecimal(Setting.FORWARD_RATE, 1_000_000),
            p.duration(
                Setting.FORWARD_CONNECT_TIMEOUT, Duration.ofMillis(10), Duration.ofMinutes(5)),
            p.duration(
                Setting.FORWARD_REPLY_TIMEOUT, Duration.ofMillis(10), Duration.ofMinutes(5)));
    // issue 10: timing defences
    TimingSettings timing = timing(p);
    // issue 12: operator information page
    InfoPageSettings info =
        new InfoPageSettings(
            p.bool(Setting.INFO_ENABLED),
            p.pageText(Setting.INFO_NAME),
            p.pageText(Setting.INFO_OPERATOR),
            p.pageText(Setting.INFO_CONTACT),
            p.pageText(Setting.INFO_POLICY),
            p.pageText(Setting.INFO_SOURCE));
    // issue 12: abuse control without identities
    PowSettings pow = pow(p);
    int createMaxPerConnection =
        p.integer(Setting.QUEUE_CREATE_MAX_PER_CONNECTION, 0, 1_000_000_000);
    // 0 = off; otherwise whole hours matter (stored times are hours)
    Duration unsecuredExpiry =
        p.raw(Setting.QUEUE_UNSECURED_EXPIRY).matches("0+(ms|s|m|h|d)?")
            ? Duration.ZERO
            : p.duration(
                Setting.QUEUE_UNSECURED_EXPIRY, Duration.ofHours(1), Duration.ofDays(3650));
    // issue 13: admission of TLS handshakes
    int maxHandshakes =
        p.raw(Setting.MAX_HANDSHAKES).isEmpty()
            ? HANDSHAKES_PER_EVENT_LOOP * eventLoops
            : p.integer(Setting.MAX_HANDSHAKES, 0, 1_000_000);
    Duration coalesce = p.durationOrZero(Setting.SESSION_COALESCE, Duration.ofSeconds(1));
    // issue 14: relay cluster
    ClusterConfig cluster = cluster(p);

    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new RelayConfig(
        dataDir,
        initialise,
        listenHost,
        listenPort,
        publicHost,
        publicPort,
        publicTransport,
        adminHost,
        adminPort,
        allowNonLoopback,
        tls,
        cert,
        key,
        engine,
        blockSize,
        quota,
        ttl,
        idleExpiry,
        createBurst,
        createRate,
        pendingCache,
        window,
        handshake,
        idle,
        maxOutbound,
        writeStall,
        budget,
        maxCommands,
        eventLoops,
        token,
        grace,
        createRateGlobal,
        storeMaxQueues,
        storeMaxMib,
        forward,
        timing,
        info,
        pow,
        createMaxPerConnection,
        unsecuredExpiry,
        maxHandshakes,
        coalesce,
        cluster);
  }

  // issue 14: relay cluster. The shard map's full check (every shard owned once) is the cluster
  // module's, at start; here its form, and what a node cannot start without.
  private static final Pattern SHARD_MAP =
      Pattern.compile(
          "\\s*[a-z0-9][a-z0-9-]{0,31}\\s*:[0-9,\\-\\s]+(;\\s*[a-z0-9][a-z0-9-]{0,31}\\s*:[0-9,\\-\\s]+)*;?\\s*");
  private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9.\\-]+:\\d{1,5}");

  private static ClusterConfig cluster(Parser p) {
    String node = p.raw(Setting.CLUSTER_NODE);
    int shardCount = p.integer(Setting.CLUSTER_SHARD_COUNT, 1, 4096);
    Duration timeout =
        p.duration(Setting.CLUSTER_COMMAND_TIMEOUT, Duration.ofMillis(100), Duration.ofMinutes(1));
    int port = p.integer(Setting.CLUSTER_PORT, 1, 65535);
    int busPort = p.integer(Setting.CLUSTER_BUS_PORT, 1, 65535);
    if (node.isEmpty()) {
      return ClusterConfig.single();
    }
    if (!node.matches("[a-z0-9][a-z0-9-]{0,31}")) {
      p.problem(
          Setting.CLUSTER_NODE,
          ConfigError.INVALID_VALUE,
          "must match [a-z0-9][a-z0-9-]{0,31} (got '" + node + "')");
    }
    String shards = p.nonEmpty(Setting.CLUSTER_SHARDS);
    if (!shards.equals(".") && !SHARD_MAP.matcher(shards).matches()) {
      p.problem(
          Setting.CLUSTER_SHARDS,
          ConfigError.INVALID_VALUE,
          "must be node:shards;node:shards, e.g. n1:0-7;n2:8-15 (got '" + shards + "')");
    }
    Optional<Path> cert = p.optionalFile(Setting.CLUSTER_KEY_CERT);
    Optional<Path> key = p.optionalFile(Setting.CLUSTER_KEY);
    if (cert.isEmpty() && p.raw(Setting.CLUSTER_KEY_CERT).isEmpty()) {
      p.problem(Setting.CLUSTER_KEY_CERT, ConfigError.INVALID_VALUE, "must be set on a node");
    }
    if (key.isEmpty() && p.raw(Setting.CLUSTER_KEY).isEmpty()) {
      p.problem(Setting.CLUSTER_KEY, ConfigError.INVALID_VALUE, "must be set on a node");
    }
    String host = p.host(Setting.CLUSTER_HOST);
    if (!host.isEmpty() && isWildcard(host)) {
      p.problem(
          Setting.CLUSTER_HOST,
          ConfigError.INVALID_VALUE,
          "must be one address, not a wildcard: the cluster ports are not for the world");
    }
    if (port == busPort) {
      p.problem(
          Setting.CLUSTER_BUS_PORT,
          ConfigError.CONFLICT,
          "must differ from " + Setting.CLUSTER_PORT.key());
    }
    List<String> members = new ArrayList<>();
    for (String m : p.raw(Setting.CLUSTER_MEMBERS).split(",")) {
      if (m.isBlank()) {
        continue;
      }
      if (!MEMBER.matcher(m.strip()).matches()) {
        p.problem(
            Setting.CLUSTER_MEMBERS,
            ConfigError.INVALID_VALUE,
            "must be host:port entries, comma-separated (got '" + m.strip() + "')");
      }
      members.add(m.strip());
    }
    if (members.isEmpty()) {
      p.problem(Setting.CLUSTER_MEMBERS, ConfigError.INVALID_VALUE, "must name at least one node");
    }
    return new ClusterConfig(
        node,
        shards,
        shardCount,
        cert.orElse(Path.of("")),
        key.orElse(Path.of("")),
        host,
        port,
        busPort,
        members,
        timeout);
  }

  // issue 12: proof of work for CreateQueue
  private static PowSettings pow(Parser p) {
    String text = p.raw(Setting.QUEUE_POW);
    PowSettings.Mode mode = PowSettings.Mode.OFF;
    boolean known = false;
    for (PowSettings.Mode m : PowSettings.Mode.values()) {
      if (m.text().equals(text)) {
        mode = m;
        known = true;
      }
    }
    if (!known) {
      p.problem(Setting.QUEUE_POW, ConfigError.INVALID_VALUE, "must be off, always or under-load");
    }
    int bits = p.integer(Setting.QUEUE_POW_BITS, 1, 32);
    double load = p.positiveDecimal(Setting.QUEUE_POW_LOAD, 1_000_000);
    // on a problem integer and positiveDecimal return valid stand-ins; the problem fails the load
    return new PowSettings(mode, bits, load);
  }

  // issue 13: on 2 cores, 512 JDK handshakes at ~5 ms of CPU each finish in ~1.3 s, well inside
  // the 10 s deadline, while a WAN round trip of 200 ms still allows ~1,000 handshakes a second
  private static final int HANDSHAKES_PER_EVENT_LOOP = 256;

  // issue 10: timing defences
  private static final Duration MAX_DELAY = Duration.ofDays(1);

  private static TimingSettings timing(Parser p) {
    Duration mean = p.durationOrZero(Setting.DELIVERY_DELAY_MEAN, MAX_DELAY);
    Optional<Duration> max =
        p.raw(Setting.DELIVERY_DELAY_MAX).isEmpty()
            ? Optional.empty()
            : Optional.of(p.duration(Setting.DELIVERY_DELAY_MAX, Duration.ofMillis(1), MAX_DELAY));
    if (max.isPresent() && mean.isZero()) {
      p.problem(
          Setting.DELIVERY_DELAY_MAX,
          ConfigError.CONFLICT,
          "is set but " + Setting.DELIVERY_DELAY_MEAN.key() + " is 0 (no delay to cap)");
    }
    Duration batch = p.durationOrZero(Setting.DELIVERY_BATCH_INTERVAL, MAX_DELAY);
    int batchMin = p.integer(Setting.DELIVERY_BATCH_MIN, 1, 1_000_000);
    if (batchMin > 1 && batch.isZero()) {
      p.problem(
          Setting.DELIVERY_BATCH_MIN,
          ConfigError.CONFLICT,
          "is set but " + Setting.DELIVERY_BATCH_INTERVAL.key() + " is 0 (no rounds)");
    }
    Duration rate = p.durationOrZero(Setting.SESSION_CONSTANT_RATE, Duration.ofMinutes(1));
    if (!rate.isZero() && rate.toMillis() < 10) {
      p.problem(
          Setting.SESSION_CONSTANT_RATE,
          ConfigError.OUT_OF_RANGE,
          "must be 0 or at least 10ms (one block per T per session)");
    }
    return new TimingSettings(mean, max, batch, batchMin, rate);
  }

  /**
   * The admin server and the listener must not share a socket: Vert.x would let both bind the same
   * port and hand connections to either. Two addresses overlap when they are equal or either is a
   * wildcard; port 0 picks a free port and never overlaps.
   */
  private static void checkAdminApart(
      Parser p, String listenHost, int listenPort, String adminHost, int adminPort) {
    if (listenPort == 0 || adminPort == 0 || listenPort != adminPort) {
      return;
    }
    if (hostsOverlap(listenHost, adminHost)) {
      p.problem(
          Setting.ADMIN_PORT,
          ConfigError.CONFLICT,
          "is the port of the listener ("
              + Setting.LISTEN_HOST.key()
              + " "
              + listenHost
              + ", "
              + Setting.LISTEN_PORT.key()
              + " "
              + listenPort
              + "): give the admin server a port of its own");
    }
  }

  /**
   * Whether two bind addresses can take the same socket: equal, either one a wildcard, or, for
   * names other than {@code localhost} that only DNS could tell apart, assumed so.
   */
  static boolean hostsOverlap(String a, String b) {
    if (isWildcard(a) || isWildcard(b) || a.equalsIgnoreCase(b)) {
      return true;
    }
    boolean literalA = isLiteral(a);
    boolean literalB = isLiteral(b);
    if (literalA && literalB) {
      return literal(a).equals(literal(b));
    }
    if (a.equalsIgnoreCase("localhost") && literalB) {
      return isLoopback(b);
    }
    if (b.equalsIgnoreCase("localhost") && literalA) {
      return isLoopback(a);
    }
    return true;
  }

  private static boolean isLiteral(String host) {
    return IPV4.matcher(host).matches() || host.contains(":");
  }

  private static InetAddress literal(String host) {
    try {
      return InetAddress.getByName(host.replace("[", "").replace("]", ""));
    } catch (UnknownHostException e) {
      return InetAddress.getLoopbackAddress();
    }
  }

  private static boolean isWildcard(String host) {
    String h = host.replace("[", "").replace("]", "");
    return h.equals("0.0.0.0") || h.equals("::") || h.matches("0*:(0*:)*0*") || h.equals("*");
  }

  /**
   * Whether {@code host} is a loopback address, decided without DNS: IP literals are checked, and
   * of all names only {@code localhost} counts as loopback.
   */
  static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!IPV4.matcher(host).matches() && !host.contains(":")) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private record Sourced(String value, String source) {}

  /** Converts raw strings into typed values, recording a problem instead of throwing. */
  private static final class Parser {
    private final Map<Setting, Sourced> values;
    private final List<ConfigProblem> problems;

    Parser(Map<Setting, Sourced> values, List<ConfigProblem> problems) {
      this.values = values;
      this.problems = problems;
    }

    String raw(Setting s) {
      return values.get(s).value().trim();
    }

    void problem(Setting s, ConfigError error, String what) {
      problems.add(
          new ConfigProblem(
              s.key(), error, s.key() + " (from " + values.get(s).source() + ") " + what));
    }

    private String shown(Setting s) {
      return s.secret() ? "" : " (got '" + raw(s) + "')";
    }

    String nonEmpty(Setting s) {
      String v = raw(s);
      if (v.isEmpty()) {
        problem(s, ConfigError.INVALID_VALUE, "must not be empty");
        return ".";
      }
      return v;
    }

    String host(Setting s) {
      String v = raw(s);
      if (v.isEmpty() || !v.matches("[A-Za-z0-9.:\\-\\[\\]]+")) {
        problem(s, ConfigError.INVALID_VALUE, "must be a host name or IP address" + shown(s));
        return "";
      }
      return v;
    }

    int integer(Setting s, int min, int max) {
      String v = raw(s);
      long n;
      try {
        n = Long.parseLong(v);
      } catch (NumberFormatException e) {
        problem(s, ConfigError.NOT_A_NUMBER, "must be a whole number" + shown(s));
        return min;
      }
      if (n < min || n > max) {
        problem(s, ConfigError.OUT_OF_RANGE, "must be between " + min + " and " + max + shown(s));
        return min;
      }
      return (int) n;
    }

    /** A number greater than 0 and at most {@code max}; decimals such as {@code 0.5} allowed. */
    double positiveDecimal(Setting s, int max) {
      String v = raw(s);
      if (!DECIMAL.matcher(v).matches()) {
        problem(s, ConfigError.NOT_A_NUMBER, "must be a number such as 2 or 0.5" + shown(s));
        return max;
      }
      double n = Double.parseDouble(v);
      if (!(n > 0) || n > max) {
        problem(
            s, ConfigError.OUT_OF_RANGE, "must be greater than 0 and at most " + max + shown(s));
        return max;
      }
      return n;
    }

    TlsEngine tlsEngine(Setting s) {
      Optional<TlsEngine> engine = TlsEngine.parse(raw(s));
      if (engine.isEmpty()) {
        problem(s, ConfigError.INVALID_VALUE, "must be auto, jdk or openssl" + shown(s));
      }
      return engine.orElse(TlsEngine.AUTO);
    }

    boolean bool(Setting s) {
      String v = raw(s);
      if (v.equalsIgnoreCase("true")) {
        return true;
      }
      if (!v.equalsIgnoreCase("false")) {
        problem(s, ConfigError.NOT_A_BOOLEAN, "must be true or false" + shown(s));
      }
      return false;
    }

    Duration duration(Setting s, Duration min, Duration max) {
      Matcher m = DURATION.matcher(raw(s));
      if (!m.matches()) {
        problem(
            s,
            ConfigError.NOT_A_DURATION,
            "must be a number followed by ms, s, m, h or d (e.g. 10s, 21d)" + shown(s));
        return min;
      }
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        problem(
            s,
            ConfigError.OUT_OF_RANGE,
            "must be between " + human(min) + " and " + human(max) + shown(s));
        return min;
      }
      return d;
    }

    /** A duration, or {@code 0} (with or without a unit) for zero: a defence that is off. */
    Duration durationOrZero(Setting s, Duration max) {
      String v = raw(s);
      if (v.matches("0+(ms|s|m|h|d)?")) {
        return Duration.ZERO;
      }
      return duration(s, Duration.ofMillis(1), max);
    }

    Optional<Path> optionalFile(Setting s) {
      String v = raw(s);
      if (v.isEmpty()) {
        return Optional.empty();
      }
      Path p = Path.of(v);
      if (!Files.isReadable(p)) {
        problem(s, ConfigError.INVALID_VALUE, "names a file that cannot be read" + shown(s));
        return Optional.empty();
      }
      return Optional.of(p);
    }

    /** A size in bytes: a whole number, optionally followed by k, m or g (powers of 1024). */
    long size(Setting s, long min, long max) {
      Matcher m = SIZE.matcher(raw(s));
      if (!m.matches()) {
        problem(
            s,
            ConfigError.NOT_A_NUMBER,
            "must be a size in bytes, optionally with k, m or g (e.g. 256m)" + shown(s));
        return min;
      }
      long n = Long.parseLong(m.group(1));
      int shift =
          switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
          };
      if (n > (max >> shift) || (n << shift) < min) {
        problem(
            s,
            ConfigError.OUT_OF_RANGE,
            "must be between " + (min >> 10) + "k and " + (max >> 30) + "g" + shown(s));
        return min;
      }
      return n << shift;
    }

    // issue 12: the scheme of the relay address
    Optional<Transport> transport(Setting s) {
      String v = raw(s);
      if (v.isEmpty()) {
        return Optional.empty();
      }
      for (Transport t : Transport.values()) {
        if (t.scheme().equals(v)) {
          return Optional.of(t);
        }
      }
      problem(s, ConfigError.INVALID_VALUE, "must be sealpost or sealpost+ws" + shown(s));
      return Optional.empty();
    }

    // issue 12: text for the information page: printable, bounded (it is escaped when shown)
    String pageText(Setting s) {
      String v = raw(s).strip();
      if (v.length() > InfoPageSettings.MAX_TEXT) {
        problem(
            s,
            ConfigError.OUT_OF_RANGE,
            "must be at most " + InfoPageSettings.MAX_TEXT + " characters");
        return "";
      }
      if (v.codePoints().anyMatch(Character::isISOControl)) {
        problem(s, ConfigError.INVALID_VALUE, "must not contain control characters");
        return "";
      }
      return v;
    }

    Optional<Secret> token(Setting s) {
      String v = raw(s);
      if (v.isEmpty()) {
        return Optional.empty();
      }
      if (v.length() < 16) {
        problem(s, ConfigError.INVALID_VALUE, "must be at least 16 characters long");
        return Optional.empty();
      }
      return Optional.of(Secret.of(v));
    }

    private static String human(Duration d) {
      if (d.isZero()) {
        return "0s";
      }
      if (d.toMillis() % 86_400_000 == 0) {
        return d.toDays() + "d";
      }
      if (d.toMillis() % 60_000 == 0) {
        return d.toMinutes() + "m";
      }
      if (d.toMillis() % 1000 == 0) {
        return d.toSeconds() + "s";
      }
      return d.toMillis() + "ms";
    }
  }
}
