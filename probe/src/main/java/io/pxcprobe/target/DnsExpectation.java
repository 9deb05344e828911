package io.pxcprobe.target;

import java.util.Set;

/**
 * What a healthy answer holds. Values are IP address texts for A/AAAA and lower-case host names
 * without the trailing dot for SRV targets.
 */
public record DnsExpectation(Match match, Set<String> values) {

    public DnsExpectation {
        values = Set.copyOf(values);
    }

    public enum Match {
        /** Any non-empty answer is fine (nothing is known to compare with). */
        ANY,
        /** Every expected value must be in the answer; more is fine. */
        CONTAINS_ALL,
        /** The answer must be exactly the expected values. */
        EQUALS
    }

    public static DnsExpectation any() {
        return new DnsExpectation(Match.ANY, Set.of());
    }

    public static DnsExpectation containsAll(Set<String> values) {
        return new DnsExpectation(Match.CONTAINS_ALL, values);
    }

    public static DnsExpectation equalTo(Set<String> values) {
        return new DnsExpectation(Match.EQUALS, values);
    }

    /** Whether an answer meets this expectation; an empty answer is judged elsewhere. */
    public boolean accepts(Set<String> answer) {
        return switch (match) {
            case ANY -> true;
            case CONTAINS_ALL -> answer.containsAll(values);
            case EQUALS -> answer.equals(values);
        };
    }
}
