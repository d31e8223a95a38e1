package org.sealpost.cluster;

import com.hazelcast.collection.ICollection;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.multimap.MultiMap;
import com.hazelcast.replicatedmap.ReplicatedMap;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What a Hazelcast member holds in its distributed objects, as text to search for canaries. */
final class ClusterDump {
  private ClusterDump() {}

  /** Every distributed object's name, keys and values ({@code toString} and raw bytes). */
  static String of(HazelcastInstance hz) {
    StringBuilder out = new StringBuilder();
    for (DistributedObject o : hz.getDistributedObjects()) {
      out.append(o.getServiceName()).append(' ').append(o.getName()).append('\n');
      if (o instanceof IMap<?, ?> m) {
        m.entrySet().forEach(e -> append(out, e.getKey(), e.getValue()));
      } else if (o instanceof MultiMap<?, ?> m) {
        m.entrySet().forEach(e -> append(out, e.getKey(), e.getValue()));
      } else if (o instanceof ReplicatedMap<?, ?> m) {
        m.entrySet().forEach(e -> append(out, e.getKey(), e.getValue()));
      } else if (o instanceof ICollection<?> c) {
        c.forEach(v -> append(out, "", v));
      }
    }
    return out.toString();
  }

  private static void append(StringBuilder out, Object key, Object value) {
    out.append(text(key)).append(" = ").append(text(value)).append('\n');
  }

  private static String text(Object o) {
    if (o instanceof byte[] b) {
      return new String(b, StandardCharsets.ISO_8859_1);
    }
    return String.valueOf(o);
  }

  /** The event-bus addresses registered in Vert.x's subscription map. */
  static Set<String> addresses(HazelcastInstance hz) {
    Set<String> out = new TreeSet<>();
    for (DistributedObject o : hz.getDistributedObjects()) {
      if (o.getName().equals("__vertx.subs") && o instanceof MultiMap<?, ?> m) {
        m.keySet().forEach(k -> out.add(String.valueOf(k)));
      }
    }
    return out;
  }

  /** The ways {@code bytes} could appear in text: raw, hex, base64, base64url. */
  static List<String> forms(byte[] bytes) {
    return List.of(
        new String(bytes, StandardCharsets.ISO_8859_1),
        HexFormat.of().formatHex(bytes),
        HexFormat.of().withUpperCase().formatHex(bytes),
        Base64.getEncoder().withoutPadding().encodeToString(bytes),
        Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }
}
