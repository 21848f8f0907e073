package dev.traceunit.examples.spring;

/** A stored order. */
public record Order(long id, String sku, int quantity) {}
