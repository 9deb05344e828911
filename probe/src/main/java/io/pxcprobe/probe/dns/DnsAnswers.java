package io.pxcprobe.probe.dns;

import io.pxcprobe.target.RecordType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;

/** Extracts the values an expectation compares: addresses for A/AAAA, target host names for SRV. */
final class DnsAnswers {
    private DnsAnswers() {}

    static List<String> values(Message reply, RecordType type) {
        List<String> out = new ArrayList<>();
        for (Record r : reply.getSection(Section.ANSWER)) {
            switch (type) {
                case A -> {
                    if (r instanceof ARecord a) {
                        out.add(a.getAddress().getHostAddress());
                    }
                }
                case AAAA -> {
                    if (r instanceof AAAARecord a) {
                        out.add(a.getAddress().getHostAddress());
                    }
                }
                case SRV -> {
                    if (r instanceof SRVRecord s) {
                        String host = s.getTarget().toString(true).toLowerCase(Locale.ROOT);
                        out.add(host);
                    }
                }
            }
        }
        return out.stream().distinct().sorted().toList();
    }
}
