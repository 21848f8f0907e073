package dev.traceunit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * Values a careless or hostile application hands to traceunit: none of them may throw into it, cost
 * more than the limits allow, or show a secret in a text.
 */
class HostileValuesTest {

  private final FakeTime time = new FakeTime();

  private Trace record(Limits limits, Runnable work) {
    SpanCollector collector = new SpanCollector("t-0001", time, limits);
    try (Scope scope = collector.activate()) {
      work.run();
    }
    return collector.snapshot();
  }

  /** An object whose toString throws whatever it is given. */
  private static final class Throwing {
    private final Supplier<? extends Throwable> thrown;

    Throwing(Supplier<? extends Throwable> thrown) {
      this.thrown = thrown;
    }

    @Override
    public String toString() {
      Throwable t = thrown.get();
      if (t instanceof Error) {
        throw (Error) t;
      }
      throw (RuntimeException) t;
    }

    @Override
    public int hashCode() {
      return 7;
    }

    @Override
    public boolean equals(Object other) {
      return other == this;
    }
  }

  private static final class NullString {
    @Override
    public String toString() {
      return null;
    }
  }

  /** An exception whose message cannot be read. */
  private static final class UnreadableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @Override
    public String getMessage() {
      throw new IllegalStateException("no message for you");
    }
  }

  /** A list that another thread changes while it is read: every read of it fails as a changing list would. */
  private static final class ChangingList extends AbstractList<Object> {
    private int size = 3;

    @Override
    public Object get(int index) {
      size++; // as if another thread added an element while this one iterates
      return index;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public java.util.Iterator<Object> iterator() {
      java.util.Iterator<Object> inner = new ArrayList<Object>(List.of(1, 2, 3)).iterator();
      return new java.util.Iterator<>() {
        @Override
        public boolean hasNext() {
          return inner.hasNext();
        }

        @Override
        public Object next() {
          Object next = inner.next();
          if (next.equals(2)) {
            throw new java.util.ConcurrentModificationException();
          }
          return next;
        }
      };
    }
  }

  /** A map whose entrySet throws. */
  private static final class BrokenMap extends AbstractMap<String, Object> {
    @Override
    public Set<Entry<String, Object>> entrySet() {
      throw new UnsupportedOperationException("no entries");
    }
  }

  @Test
  void aValueWhoseToStringReturnsNullOrThrowsBecomesAProblem() {
    Trace trace = record(Limits.defaults(), () -> {
      try (SpanHandle span = Tracing.start("s")) {
        span.attribute("nothing", new NullString());
        span.attribute("error", new Throwing(() -> new StackOverflowError("deep")));
        span.attribute("keys", Map.of(new Throwing(IllegalStateException::new), "v"));
      }
    });
    Map<String, Object> attributes = trace.spans().get(0).attributes();
    assertThat(attributes.get("nothing")).isEqualTo("<" + NullString.class.getName() + ": toString() returned null>");
    assertThat((String) attributes.get("error")).contains("toString() threw java.lang.StackOverflowError");
    assertThat((Map<?, ?>) attributes.get("keys")).hasSize(1);
    assertThat(trace.problems()).extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).startsWith("value of 'nothing' could not be read as it is")
            .contains("toString() returned null"))
        .anySatisfy(m -> assertThat(m).contains("'error'").contains("StackOverflowError"))
        .anySatisfy(m -> assertThat(m).contains("'keys (a map key)'").contains("IllegalStateException"));
  }

  @Test
  void anAttributeGetsOneProblemForEachKindOfCutWithCounts() {
    Trace trace = record(Limits.defaults(), () -> {
      try (SpanHandle span = Tracing.start("s")) {
        span.attribute("throws", new Throwing(IllegalStateException::new));
        span.attribute("many", List.of(new Throwing(IllegalStateException::new), new Throwing(IllegalStateException::new),
            new Throwing(IllegalStateException::new)));
      }
    });
    // An object whose toString throws could not be read, and is of an unsupported type: two problems.
    assertThat(trace.problems()).filteredOn(p -> p.message().startsWith("value of 'throws'"))
        .extracting(Problem::code).containsExactly(ProblemCode.UNSUPPORTED_VALUE, ProblemCode.UNSUPPORTED_VALUE);
    // Three such elements in one list are still two problems, each counting the rest.
    assertThat(trace.problems()).filteredOn(p -> p.message().startsWith("value of 'many'"))
        .extracting(Problem::message).hasSize(2)
        .anySatisfy(m -> assertThat(m).contains("could not be read as it is").contains("(and 2 more)"))
        .anySatisfy(m -> assertThat(m).contains("(and 2 more unsupported)"));
  }

  @Test
  void aListChangedWhileItIsReadKeepsWhatWasReadAndSaysSo() {
    Trace trace = record(Limits.defaults(), () -> {
      try (SpanHandle span = Tracing.start("s")) {
        span.attribute("list", new ChangingList());
        span.attributes(new BrokenMap());
        span.event("e", new BrokenMap());
      }
      Tracing.span("b").attributes(new BrokenMap()).start().close();
    });
    assertThat(trace.spans().get(0).attributes().get("list")).isEqualTo(List.of(1L));
    assertThat(trace.problems()).extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).contains("iterating the " + ChangingList.class.getName()
            + " threw java.util.ConcurrentModificationException"))
        .anySatisfy(m -> assertThat(m).startsWith("attributes(map) on span 1 threw java.lang.UnsupportedOperationException"))
        .anySatisfy(m -> assertThat(m).startsWith("the attributes of event 'e' on span 1 threw"))
        .anySatisfy(m -> assertThat(m).startsWith("SpanBuilder.attributes(map) on span 2 threw"));
  }

  @Test
  void linkAttributesFromUserCodeAreReadOnceWithinTheLimits() {
    Map<String, Object> twice = new HashMap<>();
    twice.put("a", twice);
    twice.put("b", List.of(twice, twice));
    Trace trace = record(Limits.defaults().withMaxValueNodes(50), () -> {
      SpanLink hostile = SpanLink.to("t-0001", 1).withAttributes(Map.of("graph", twice, "odd", new NullString()));
      SpanLink unreadable = SpanLink.to("t-0001", 1).withAttributes(new BrokenMap());
      Tracing.span("linked").link(hostile).link(unreadable).start().close();
    });
    List<SpanLink> links = trace.spans().get(0).links();
    assertThat(nodes(links.get(0).attributes().get("graph"))).isLessThanOrEqualTo(51);
    assertThat(links.get(0).attributes().get("odd")).isEqualTo("<" + NullString.class.getName()
        + ": toString() returned null>");
    assertThat(links.get(1).attributes()).containsExactly(Map.entry("<unnamed>", "<attributes of "
        + BrokenMap.class.getName() + " could not be read: java.lang.UnsupportedOperationException>"));
  }

  @Test
  void runRethrowsTheApplicationsOwnExceptionEvenWhenItsMessageThrows() {
    UnreadableException thrown = new UnreadableException();
    SpanCollector collector = new SpanCollector("t-0001", time, Limits.defaults());
    try (Scope scope = collector.activate()) {
      assertThatThrownBy(() -> Tracing.run("r", () -> {
        throw thrown;
      })).isSameAs(thrown);
      assertThatThrownBy(() -> Tracing.supply("s", () -> {
        throw thrown;
      })).isSameAs(thrown);
      assertThatThrownBy(() -> Tracing.call("c", () -> {
        throw thrown;
      })).isSameAs(thrown);
    }
    RecordedSpan run = collector.snapshot().named("r").get(0);
    assertThat(run.status()).isEqualTo(SpanStatus.ERROR);
    assertThat(run.error().message()).isEqualTo("<" + UnreadableException.class.getName()
        + ".getMessage() threw java.lang.IllegalStateException>");
    assertThat(run.error().stackTrace()).contains("printing it threw java.lang.IllegalStateException")
        .contains("HostileValuesTest");
  }

  @Test
  void aKindWithoutANameIsRecordedAsInternalWithAProblem() {
    SpanKind unnamed = SpanKind.of(null);
    assertThat(SpanKind.of("  ")).isSameAs(unnamed);
    Trace trace = record(Limits.defaults(), () -> Tracing.run(unnamed, "k", () -> { }));
    assertThat(trace.spans().get(0).kind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(trace.problems()).singleElement().satisfies(p -> {
      assertThat(p.code()).isEqualTo(ProblemCode.INVALID_NAME);
      assertThat(p.message()).isEqualTo("span 1 has a kind made by SpanKind.of with a null or blank name; it was"
          + " recorded as internal");
    });
  }

  @Test
  void sharedAndSelfReferringGraphsCostAtMostTheNodeBudget() {
    // 32 maps, each referring to the next twice: 2^32 paths without a budget.
    Map<String, Object> chain = new HashMap<>();
    for (int i = 0; i < 32; i++) {
      Map<String, Object> next = new HashMap<>();
      next.put("a", chain);
      next.put("b", chain);
      chain = next;
    }
    Map<String, Object> twice = new HashMap<>();
    twice.put("one", twice);
    twice.put("two", twice);
    Map<String, Object> shared = chain;
    Limits limits = Limits.defaults().withMaxValueNodes(500);
    Trace trace = record(limits, () -> {
      try (SpanHandle span = Tracing.start("s")) {
        span.attribute("chain", shared);
        span.attribute("twice", twice);
      }
    });
    Map<String, Object> attributes = trace.spans().get(0).attributes();
    assertThat(nodes(attributes.get("chain"))).isLessThanOrEqualTo(500);
    assertThat(attributes.get("twice")).isEqualTo(Map.of("one", "<cycle: refers to itself>", "two", "<cycle: refers to itself>"));
    assertThat(trace.problems()).extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).startsWith("value of 'chain' was cut: at least ")
            .endsWith(" values over the budget of 500 per attribute value were dropped and counted"));
  }

  private static int nodes(Object value) {
    int count = 1;
    if (value instanceof Map) {
      for (Object nested : ((Map<?, ?>) value).values()) {
        count += nodes(nested);
      }
    } else if (value instanceof List) {
      for (Object nested : (List<?>) value) {
        count += nodes(nested);
      }
    }
    return count;
  }

  @Test
  void bigArraysKeepTheElementLimitAndCharArraysAreStrings() {
    Trace trace = record(Limits.defaults().withMaxValueElements(4).withMaxValueLength(5), () -> {
      try (SpanHandle span = Tracing.start("s")) {
        span.attribute("longs", new long[10_000_000]);
        span.attribute("chars", "secret word".toCharArray());
        span.attribute("short", "abc".toCharArray());
      }
    });
    Map<String, Object> attributes = trace.spans().get(0).attributes();
    assertThat(attributes.get("longs")).isEqualTo(List.of(0L, 0L, 0L, 0L));
    assertThat(attributes.get("chars")).isEqualTo("secre…[truncated 6 chars]");
    assertThat(attributes.get("short")).isEqualTo("abc");
    assertThat(trace.problems()).extracting(Problem::message).containsExactly(
        "value of 'longs' was cut: 9999996 elements over the limit of 4 per list or map were dropped and counted",
        "value of 'chars' has 11 chars, over the limit of 5; truncated");
  }

  @Test
  void problemsStopAtTheLimitAndTheRestAreCounted() {
    SpanCollector collector = new SpanCollector("t-0001", time, Limits.defaults().withMaxProblems(3));
    List<Problem> heard = new ArrayList<>();
    collector.addListener(new SpanListener() {
      @Override
      public void onProblem(Problem problem) {
        heard.add(problem);
      }
    });
    try (Scope scope = collector.activate(); SpanHandle span = Tracing.start("s")) {
      for (int i = 0; i < 100_000; i++) {
        span.attribute(" ", i);
      }
    }
    Trace trace = collector.snapshot();
    assertThat(trace.problems()).hasSize(4);
    assertThat(heard).hasSize(3);
    assertThat(trace.problems().get(3)).satisfies(p -> {
      assertThat(p.code()).isEqualTo(ProblemCode.PROBLEM_LIMIT);
      assertThat(p.message()).isEqualTo("the trace reached the limit of 3 problems; 99997 later problems were"
          + " dropped and counted");
    });
    assertThat(trace.render()).contains("PROBLEM_LIMIT  the trace reached the limit of 3 problems");
  }

  @Test
  void longNamesAreCutToTheNameLimit() {
    String longName = "n".repeat(5_000);
    Trace trace = record(Limits.defaults().withMaxNameLength(10), () -> {
      try (SpanHandle span = Tracing.start(SpanKind.of("k".repeat(50)), longName)) {
        span.event(longName);
        span.rename("r".repeat(11));
      }
    });
    RecordedSpan span = trace.spans().get(0);
    assertThat(span.name()).isEqualTo("rrrrrrrrrr…");
    assertThat(span.kind().name()).isEqualTo("kkkkkkkkkk…");
    assertThat(span.events().get(0).name()).isEqualTo("nnnnnnnnnn…");
    assertThat(trace.problems()).extracting(Problem::message).contains(
        "span name of 5000 chars on span 1 is over the limit of 10; cut",
        "kind name of 50 chars on span 1 is over the limit of 10; cut",
        "event name of 5000 chars on span 1 is over the limit of 10; cut");
  }

  @Test
  void aSecretKeyCutByTheKeyLimitStaysMasked() {
    Trace trace = record(Limits.defaults().withMaxKeyLength(8), () -> {
      try (SpanHandle span = Tracing.start("s")) {
        span.attribute("db.password", "hunter2");
        span.attribute("db.passphrase", 42L);
        span.attribute("db.hostname", "db-1");
        span.attribute("db", Map.of("db.password", "hunter3", "db.hostname", "db-2"));
      }
    });
    Map<String, Object> attributes = trace.spans().get(0).attributes();
    assertThat(attributes).containsEntry("db.passw", Redaction.MASK).containsEntry("db.passp", Redaction.MASK)
        .containsEntry("db.hostn", "db-1")
        .containsEntry("db", Map.of("db.passw", Redaction.MASK, "db.hostn", "db-2"));
    assertThat(trace.render()).doesNotContain("hunter2").doesNotContain("hunter3").doesNotContain("42");
    assertThat(trace.problems().get(0).message()).endsWith("(its value is masked: the whole key is secret)");
  }

  @Test
  void theTreeMasksSecretValuesAndTheSpansKeepThem() {
    Trace trace = record(Limits.defaults(), () -> {
      try (SpanHandle span = Tracing.start(SpanKind.SERVER, "login")) {
        span.attribute("password", "hunter2");
        span.attribute("Authorization", "Bearer abc");
        span.attribute("session", Map.of("jwt", "ey.J", "private_key", "pk"));
        span.attribute("llm.output_tokens", 3L);
        span.attribute("credentials", List.of("c1"));
        span.event("sent", Map.of("pwd", "p4ss", "session_id", "s-1", "passphrase", "open sesame"));
      }
    });
    String tree = trace.render();
    for (String secret : List.of("hunter2", "Bearer abc", "ey.J", "pk", "c1", "p4ss", "s-1", "open sesame")) {
      assertThat(tree).doesNotContain(secret);
    }
    assertThat(tree).contains("password=<redacted>").contains("llm.output_tokens=3");
    assertThat(trace.spans().get(0).attributes()).containsEntry("password", "hunter2");
    assertThat(trace.withRedaction(Redaction.none()).render()).contains("hunter2");
  }

  @Test
  void freeTextIsScrubbedOfValuesMaskedElsewhereInTheTrace() {
    Trace trace = record(Limits.defaults(), () -> {
      try (SpanHandle span = Tracing.start("login")) {
        span.attribute("password", "hunter2-secret");
        span.attribute("note", "typed hunter2-secret twice");
        span.attribute("pin", "short");
        span.error(new IllegalStateException("refused hunter2-secret"));
        span.event("log", Map.of("line", "user typed hunter2-secret"));
      }
    });
    String tree = trace.render();
    assertThat(tree).doesNotContain("hunter2-secret").contains("note=typed <redacted> twice")
        .contains("IllegalStateException: refused <redacted>").contains("line=user typed <redacted>");
    Trace masked = trace.redaction().apply(trace);
    RecordedSpan login = masked.spans().get(0);
    assertThat(login.error().message()).isEqualTo("refused <redacted>");
    assertThat(login.error().stackTrace()).doesNotContain("hunter2-secret");
    assertThat(login.events()).allSatisfy(event -> assertThat(event.attributes().toString()).doesNotContain("hunter2-secret"));
    assertThat(trace.spans().get(0).error().message()).isEqualTo("refused hunter2-secret");
    assertThat(Redaction.defaults().scrub("no secret here", trace)).isEqualTo("no secret here");
  }

  @Test
  void anEmptyOrBlankRedactionIsAnErrorAndNoneTurnsItOff() {
    for (String empty : List.of("", "   ")) {
      assertThatThrownBy(() -> Redaction.parse(empty)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("redaction patterns are empty ('" + empty + "'); an empty list would turn masking off"
              + " silently: give 'none' to turn it off, or at least one regular expression");
    }
    assertThatThrownBy(() -> Redaction.parse("a,,b")).hasMessageContaining("contain an empty pattern");
    assertThatThrownBy(() -> Redaction.parse("(")).hasMessageStartingWith("redaction pattern '(' is not a regular expression");
    assertThat(Redaction.parse("none").masks("password")).isFalse();
  }

  @Test
  void everyTextKeepsOneSpanToALine() {
    Trace trace = record(Limits.defaults(), () -> {
      try (SpanHandle span = Tracing.start(SpanKind.of("kind\n└─ server FAKE"), "a\u2028b\u0085c\u2029d")) {
        span.attribute("nested", Map.of("k\n└─ server FAKE-ADMIN-CALL", "v\r\n"));
        span.event("e\u000bv", Map.of("x", "y\u001b[31m"));
      }
    });
    String tree = trace.render();
    assertThat(tree.lines()).hasSize(3);
    assertThat(tree).contains("kind\\n└─ server FAKE a\\u2028b\\u0085c\\u2029d")
        .contains("{k\\n└─ server FAKE-ADMIN-CALL=v\\r\\n}").contains("event e\\u000bv").contains("x=y\\u001b[31m");
  }

  /**
   * Generated hostile values in every position the API takes one: nothing reaches the caller, every
   * value is bounded by the limits, and the trace renders.
   */
  @RepeatedTest(40)
  void generatedHostileValuesNeverThrowAndStayWithinTheLimits(RepetitionInfo repetition) {
    Random random = new Random(repetition.getCurrentRepetition());
    Limits limits = Limits.defaults().withMaxValueNodes(300).withMaxValueElements(50).withMaxValueLength(100);
    SpanCollector collector = new SpanCollector("t-0001", time, limits);
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      values.add(hostile(random, 0, values));
    }
    AtomicBoolean ran = new AtomicBoolean();
    try (Scope scope = collector.activate()) {
      assertThatCode(() -> {
        try (SpanHandle span = Tracing.start(SpanKind.of(random.nextBoolean() ? null : "k"), "s")) {
          for (int i = 0; i < values.size(); i++) {
            span.attribute("v" + i, values.get(i));
          }
          Map<String, Object> map = new LinkedHashMap<>();
          values.forEach(v -> map.put("m" + map.size(), v));
          span.attributes(map);
          span.event("e", map);
          span.attributeIfAbsent("late", values.get(0));
          Tracing.marker("m", map);
          Tracing.span("b").attributes(map).attribute("o", values.get(1)).start().close();
          UnreadableException thrown = new UnreadableException();
          try {
            Tracing.call("c", () -> {
              throw thrown;
            });
          } catch (UnreadableException expected) {
            ran.set(expected == thrown);
          }
        }
      }).doesNotThrowAnyException();
    }
    assertThat(ran).isTrue();
    Trace trace = collector.snapshot();
    for (RecordedSpan span : trace.spans()) {
      for (Object value : span.attributes().values()) {
        assertThat(nodes(value)).isLessThanOrEqualTo(limits.maxValueNodes() + 1);
      }
    }
    assertThatCode(trace::render).doesNotThrowAnyException();
    assertThat(trace.render().lines().filter(line -> line.contains("┘"))).isEmpty();
  }

  private static Object hostile(Random random, int depth, List<Object> earlier) {
    switch (random.nextInt(depth > 3 ? 6 : 11)) {
      case 0: return new Throwing(() -> new IllegalStateException("boom"));
      case 1: return new Throwing(() -> new AssertionError("an Error"));
      case 2: return new NullString();
      case 3: return "x".repeat(random.nextInt(300));
      case 4: return earlier.isEmpty() ? null : earlier.get(random.nextInt(earlier.size())); // shared
      case 5: return random.nextInt();
      case 6: return new ChangingList();
      case 7: return new BrokenMap();
      case 8: {
        Map<Object, Object> self = new HashMap<>();
        self.put("self", self);
        self.put(new Throwing(() -> new IllegalArgumentException("key")), hostile(random, depth + 1, earlier));
        self.put("again", self);
        return self;
      }
      case 9: {
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          list.add(hostile(random, depth + 1, earlier));
        }
        list.add(list);
        return list;
      }
      default: {
        Collection<Object> many = new ArrayList<>();
        Object shared = hostile(random, depth + 1, earlier);
        for (int i = 0; i < 200; i++) {
          many.add(shared);
        }
        return new Object[] {many, many, new char[] {'a', '\n'}, new IOException("io")};
      }
    }
  }
}
