{{- define "pxc-probe.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "pxc-probe.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "pxc-probe.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "pxc-probe.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "pxc-probe.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pxc-probe.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "pxc-probe.labels" -}}
{{ include "pxc-probe.selectorLabels" . }}
app.kubernetes.io/component: agent
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "pxc-probe.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "pxc-probe.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "pxc-probe.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* A duration of the agent's config (500ms, 5s, 2m, 1h) in seconds for NOTES.txt arithmetic; "" for any other form. */}}
{{- define "pxc-probe.seconds" -}}
{{- $d := toString . -}}
{{- if regexMatch "^[0-9]+(\\.[0-9]+)?ms$" $d -}}{{ divf (trimSuffix "ms" $d | float64) 1000 }}
{{- else if regexMatch "^[0-9]+(\\.[0-9]+)?s$" $d -}}{{ trimSuffix "s" $d | float64 }}
{{- else if regexMatch "^[0-9]+(\\.[0-9]+)?m$" $d -}}{{ mulf (trimSuffix "m" $d | float64) 60 }}
{{- else if regexMatch "^[0-9]+(\\.[0-9]+)?h$" $d -}}{{ mulf (trimSuffix "h" $d | float64) 3600 }}
{{- end -}}
{{- end -}}

{{/* The Pod Security profile enforced on the release's namespace: the value, else the namespace's label ("" unknown). */}}
{{- define "pxc-probe.podSecurityProfile" -}}
{{- if .Values.podSecurityProfile -}}
{{- .Values.podSecurityProfile -}}
{{- else -}}
{{- $ns := lookup "v1" "Namespace" "" .Release.Namespace -}}
{{- if $ns -}}
{{- index (default (dict) $ns.metadata.labels) "pod-security.kubernetes.io/enforce" | default "" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The TCP mode the agents get for a configured one (dict "root" . "mode" M): auto becomes connect under restricted; syn there fails. */}}
{{- define "pxc-probe.effectiveMode" -}}
{{- $restricted := eq (include "pxc-probe.podSecurityProfile" .root) "restricted" -}}
{{- if and $restricted (eq .mode "syn") -}}
{{- fail "config.probes.tcp mode syn needs CAP_NET_RAW, which the namespace's Pod Security profile restricted forbids: use auto (it falls back to connect) or run the agents in a namespace with baseline" -}}
{{- else if and $restricted (eq .mode "auto") -}}connect
{{- else -}}{{ .mode }}
{{- end -}}
{{- end -}}

{{/* The ports the agents probe, with their effective modes: a MySQL port only where the mode is not connect. */}}
{{- define "pxc-probe.ports" -}}
{{- $root := . -}}
{{- $tcp := .Values.config.probes.tcp -}}
{{- $top := include "pxc-probe.effectiveMode" (dict "root" . "mode" $tcp.mode) -}}
{{- $ports := dict -}}
{{- range $name, $p := $tcp.ports -}}
{{- $q := deepCopy $p -}}
{{- $mode := $top -}}
{{- if $p.mode -}}
{{- $mode = include "pxc-probe.effectiveMode" (dict "root" $root "mode" $p.mode) -}}
{{- $_ := set $q "mode" $mode -}}
{{- end -}}
{{- if or (ne $mode "connect") (not (has (int $p.port) (list 3306 33060 33062))) -}}
{{- $_ := set $ports $name $q -}}
{{- end -}}
{{- end -}}
{{- toYaml $ports -}}
{{- end -}}

{{/* "true" when a TCP probe mode that uses a raw socket (syn, auto) is in force anywhere. */}}
{{- define "pxc-probe.needsNetRaw" -}}
{{- $modes := list (include "pxc-probe.effectiveMode" (dict "root" . "mode" .Values.config.probes.tcp.mode)) -}}
{{- range $name, $port := (include "pxc-probe.ports" . | fromYaml) -}}
{{- $modes = append $modes (default "" $port.mode) -}}
{{- end -}}
{{- if or (has "syn" $modes) (has "auto" $modes) -}}true{{- end -}}
{{- end -}}

{{/* The agent's config file: values.config, plus what the chart decides. */}}
{{- define "pxc-probe.agentConfig" -}}
{{- $c := deepCopy .Values.config -}}
{{- $_ := set $c.probes.tcp "mode" (include "pxc-probe.effectiveMode" (dict "root" . "mode" .Values.config.probes.tcp.mode)) -}}
{{- $_ = set $c.probes.tcp "ports" (include "pxc-probe.ports" . | fromYaml) -}}
{{- $k := $c.discovery.kubernetes -}}
{{- $_ = set $k "enabled" "true" -}}
{{- $_ = set $k "namespaces" .Values.watchNamespaces -}}
{{- if not $k.dnsService -}}
{{- $_ = unset $k "dnsService" -}}
{{- end -}}
{{- $p := default dict $c.peers -}}
{{- if not $p.dns -}}
{{- $_ = set $p "dns" (printf "%s.%s.svc.%s." (include "pxc-probe.fullname" .) .Release.Namespace $k.clusterDomain) -}}
{{- end -}}
{{- $_ = set $c "peers" $p -}}
{{- $canary := deepCopy (default dict $c.canary) -}}
{{- $_ = set $canary "enabled" (eq (include "pxc-probe.canaryEnabled" .) "true") -}}
{{- $_ = set $c "canary" $canary -}}
{{- toYaml $c -}}
{{- end -}}

{{/*
"true" when the agents run canaries: config.canary.enabled, and not with hostNetwork, where the
canaries would hold 4567 and 4444 on the node itself, which a host-network PXC or backup pod needs.
*/}}
{{- define "pxc-probe.canaryEnabled" -}}
{{- if and .Values.config.canary.enabled (not .Values.hostNetwork) -}}true{{- end -}}
{{- end -}}


{{/*
The schedule of a preflight CronJob: the backup's schedule (dict "schedule" S "lead" L) moved L earlier.
Handles a fixed minute and hour (and the descriptors @daily, @midnight, @weekly, @monthly, @yearly);
crossing midnight moves a numeric day of week back by one, and needs `*` as the day of month.
Anything else fails with the reason: give preflightSchedule then.
*/}}
{{- define "pxc-probe.preflightSchedule" -}}
{{- $s := trim .schedule -}}
{{- $named := dict "@daily" "0 0 * * *" "@midnight" "0 0 * * *" "@weekly" "0 0 * * 0" "@monthly" "0 0 1 * *" "@yearly" "0 0 1 1 *" "@annually" "0 0 1 1 *" -}}
{{- $s = default $s (get $named $s) -}}
{{- $f := splitList " " (regexReplaceAll "\\s+" $s " ") -}}
{{- $why := printf "preflight: cannot move the schedule %q earlier by %s" .schedule .lead -}}
{{- if or (ne (len $f) 5) (not (regexMatch "^[0-9]+$" (index $f 0))) (not (regexMatch "^[0-9]+$" (index $f 1))) -}}
{{- fail (printf "%s: it needs a fixed minute and hour; give preflightSchedule" $why) -}}
{{- end -}}
{{- $lead := 0 -}}
{{- if hasSuffix "h" .lead -}}{{- $lead = mul (atoi (trimSuffix "h" .lead)) 60 -}}{{- else -}}{{- $lead = atoi (trimSuffix "m" .lead) -}}{{- end -}}
{{- if or (le $lead 0) (ge $lead 1440) -}}
{{- fail (printf "%s: the lead must be between 1m and 23h" $why) -}}
{{- end -}}
{{- $t := sub (add (mul (atoi (index $f 1)) 60) (atoi (index $f 0))) $lead -}}
{{- $dom := index $f 2 -}}
{{- $dow := index $f 4 -}}
{{- if lt $t 0 -}}
{{- $t = add $t 1440 -}}
{{- if ne $dom "*" -}}
{{- fail (printf "%s: it crosses midnight on a fixed day of month; give preflightSchedule" $why) -}}
{{- end -}}
{{- if ne $dow "*" -}}
{{- $days := list -}}
{{- range splitList "," $dow -}}
{{- if not (regexMatch "^[0-7]$" .) -}}
{{- fail (printf "%s: it crosses midnight on day of week %q (numbers only); give preflightSchedule" $why .) -}}
{{- end -}}
{{- $days = append $days (toString (mod (add (atoi .) 6) 7)) -}}
{{- end -}}
{{- $dow = join "," $days -}}
{{- end -}}
{{- end -}}
{{- printf "%d %d %s %s %s" (mod $t 60) (div $t 60) $dom (index $f 3) $dow -}}
{{- end -}}

{{/*
The PXC pods in the watched namespaces (all namespaces when none is listed), as NetworkPolicy peers.
*/}}
{{- define "pxc-probe.pxcPeers" -}}
{{- if .Values.watchNamespaces }}
{{- range .Values.watchNamespaces }}
- namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: {{ . }}
  podSelector:
    matchLabels:
      app.kubernetes.io/name: percona-xtradb-cluster
      app.kubernetes.io/component: pxc
{{- end }}
{{- else }}
- namespaceSelector: {}
  podSelector:
    matchLabels:
      app.kubernetes.io/name: percona-xtradb-cluster
      app.kubernetes.io/component: pxc
{{- end }}
{{- end -}}
