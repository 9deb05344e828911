package io.pxcprobe.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks {@link TestbedExtension} for a testbed whose Galera cluster (and garbd) speak TLS, for
 * the annotated class alone: started before its first test, removed after its last. The shared
 * testbed stays without TLS.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
public @interface TlsTestbed {}
