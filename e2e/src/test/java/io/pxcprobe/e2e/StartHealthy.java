package io.pxcprobe.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Each test of the annotated class starts from a healthy, quiet testbed: {@link TestbedExtension}
 * runs {@link Scenario#healthy()} on the shared testbed before it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface StartHealthy {}
