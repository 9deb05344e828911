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

{{/* "true" when a TCP probe mode that uses a raw socket (syn, auto) is configured anywhere. */}}
{{- define "pxc-probe.needsNetRaw" -}}
{{- $modes := list .Values.config.probes.tcp.mode -}}
{{- range $name, $port := .Values.config.probes.tcp.ports -}}
{{- $modes = append $modes (default "" $port.mode) -}}
{{- end -}}
{{- if or (has "syn" $modes) (has "auto" $modes) -}}true{{- end -}}
{{- end -}}

{{/* The agent's config file: values.config, plus what the chart decides. */}}
{{- define "pxc-probe.agentConfig" -}}
{{- $c := deepCopy .Values.config -}}
{{- $k := $c.discovery.kubernetes -}}
{{- $_ := set $k "enabled" "true" -}}
{{- $_ = set $k "namespaces" .Values.watchNamespaces -}}
{{- if not $k.dnsService -}}
{{- $_ = unset $k "dnsService" -}}
{{- end -}}
{{- toYaml $c -}}
{{- end -}}

