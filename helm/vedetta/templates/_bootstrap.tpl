{{/* Name of the bootstrap Job and its hook objects. */}}
{{- define "vedetta.bootstrapName" -}}
{{- printf "%s-bootstrap" (include "vedetta.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The Secret with the bootstrap Job's credentials: the user's, or the hook Secret the chart makes. */}}
{{- define "vedetta.bootstrapSecretName" -}}
{{- default (include "vedetta.bootstrapName" .) .Values.elasticsearch.bootstrap.existingSecret }}
{{- end }}

{{/* Whether the bootstrap Job has credentials at all. */}}
{{- define "vedetta.bootstrapAuth" -}}
{{- if or .Values.elasticsearch.bootstrap.existingSecret .Values.elasticsearch.bootstrap.username }}true{{ end }}
{{- end }}

{{/*
The bootstrap Job's configuration: the agents' own (so templates match what they write: index mode, prefixes,
JSON field), with the Job's credentials instead of theirs and template installation on.
*/}}
{{- define "vedetta.bootstrapConfig" -}}
{{- $config := include "vedetta.config" . | fromYaml }}
{{- $es := $config.elasticsearch }}
{{- $_ := unset $es "usernameFile" }}
{{- $_ := unset $es "passwordFile" }}
{{- $_ := unset $es "username" }}
{{- $_ := unset $es "apiKeyFile" }}
{{- if include "vedetta.bootstrapAuth" . }}
{{- $_ := set $es "usernameFile" "/var/run/secrets/vedetta/bootstrap/username" }}
{{- $_ := set $es "passwordFile" "/var/run/secrets/vedetta/bootstrap/password" }}
{{- end }}
{{- $_ := set $es "template" (merge (dict "install" true) (default dict $es.template)) }}
{{- toYaml $config }}
{{- end }}

{{/* Annotations of the bootstrap hook objects; lower weights are created first. */}}
{{- define "vedetta.bootstrapHook" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: {{ . | quote }}
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- end }}

{{/* Labels of the bootstrap objects: the chart's, as the bootstrap component. */}}
{{- define "vedetta.bootstrapLabels" -}}
helm.sh/chart: {{ include "vedetta.chart" . }}
app.kubernetes.io/name: {{ include "vedetta.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: bootstrap
app.kubernetes.io/part-of: vedetta
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}
