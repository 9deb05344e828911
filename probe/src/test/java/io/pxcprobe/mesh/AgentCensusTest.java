package io.pxcprobe.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.plan.Fleet;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the census makes of the agents found: how many, who, and whether this agent is among them. */
class AgentCensusTest {
    private static final List<InetSocketAddress> SERVICE = List.of(
            new InetSocketAddress("10.244.0.7", 9797),
            new InetSocketAddress("10.244.1.3", 9797),
            new InetSocketAddress("10.244.2.9", 9797));

    @Test
    void theServiceListsEveryAgentAndPlacesThisOneOnlyWhereItsAddressIsThere() {
        Fleet placed = AgentCensus.fleetOf(SERVICE, 0, "10.244.1.3", true);
        assertEquals(3, placed.count(), "this agent is one of the records: counted once");
        assertTrue(placed.placed());

        Fleet wrongAddress = AgentCensus.fleetOf(SERVICE, 0, "127.0.0.1", true);
        assertEquals(3, wrongAddress.count());
        assertFalse(wrongAddress.placed(), "an address the others do not list: no sampling, every path probed");
        assertEquals(List.of("10.244.0.7", "10.244.1.3", "10.244.2.9"), wrongAddress.members());

        assertEquals(5, AgentCensus.fleetOf(SERVICE, 2, null, true).count(), "agents past peers.maxAgents count");
    }

    @Test
    void listedAddressesAreTheOthersAndThisAgentJoinsThem() {
        List<InetSocketAddress> others = SERVICE.subList(0, 2);
        Fleet known = AgentCensus.fleetOf(others, 0, "10.244.2.9", false);
        assertEquals(3, known.count());
        assertTrue(known.placed());
        assertEquals(3, AgentCensus.fleetOf(SERVICE, 0, "10.244.2.9", false).count(), "listing itself too: once");

        Fleet unknown = AgentCensus.fleetOf(others, 0, null, false);
        assertEquals(3, unknown.count(), "this agent without an address is counted apart");
        assertFalse(unknown.placed());
    }

    @Test
    void selfIsAnIpLiteralInTheFormDnsAnswersTakeOrNothing() {
        assertEquals("0:0:0:0:0:0:0:1", AgentCensus.ipLiteral("::1"));
        assertEquals("10.244.0.7", AgentCensus.ipLiteral(" 10.244.0.7 "));
        assertNull(AgentCensus.ipLiteral("agent-0.pxc-probe"), "a name is never resolved");
        assertNull(AgentCensus.ipLiteral(null));
    }
}
