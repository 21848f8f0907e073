package dev.traceunit.examples.spring;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** Stores orders in the embedded H2 database; each statement is an Observation named {@code db.query}. */
@Repository
class OrderRepository {

  private static final String INSERT = "insert into orders (sku, quantity) values (?, ?)";

  private final JdbcTemplate jdbc;
  private final ObservationRegistry registry;

  OrderRepository(JdbcTemplate jdbc, ObservationRegistry registry) {
    this.jdbc = jdbc;
    this.registry = registry;
  }

  Order insert(String sku, int quantity) {
    return Observation.createNotStarted("db.query", registry)
        .contextualName("insert orders")
        .lowCardinalityKeyValue("db.system", "h2")
        .lowCardinalityKeyValue("db.operation", "insert")
        .highCardinalityKeyValue("db.statement", INSERT)
        .observe(() -> {
          GeneratedKeyHolder key = new GeneratedKeyHolder();
          jdbc.update(connection -> {
            var statement = connection.prepareStatement(INSERT, new String[] {"id"});
            statement.setString(1, sku);
            statement.setInt(2, quantity);
            return statement;
          }, key);
          return new Order(key.getKey().longValue(), sku, quantity);
        });
  }
}
