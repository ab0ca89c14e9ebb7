{{/* Chart name, overridable. */}}
{{- define "vedetta.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of every object; the release name alone when it already contains the chart name. */}}
{{- define "vedetta.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "vedetta.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "vedetta.labels" -}}
helm.sh/chart: {{ include "vedetta.chart" . }}
{{ include "vedetta.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: agent
app.kubernetes.io/part-of: vedetta
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels that select the agent's pods; never change them after a release exists (selectors are immutable). */}}
{{- define "vedetta.selectorLabels" -}}
app.kubernetes.io/name: {{ include "vedetta.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "vedetta.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "vedetta.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The image reference: a digest wins over a tag; the tag defaults to the chart's appVersion. */}}
{{- define "vedetta.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
Deep-merges "src" into "dst" in place. Sprig's mergeOverwrite is not used because it skips empty source
values, so `config.logs.enabled: false` could never turn off a default of true.
*/}}
{{- define "vedetta.mergeInto" -}}
{{- $dst := .dst }}
{{- range $key, $value := .src }}
{{- $current := get $dst $key }}
{{- if and (kindIs "map" $value) (kindIs "map" $current) }}
{{- include "vedetta.mergeInto" (dict "dst" $current "src" $value) }}
{{- else }}
{{- $_ := set $dst $key $value }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The agent's configuration as YAML: what the chart knows about the pod (port, mounts and the log roots they hold,
Elasticsearch URLs, remote_write endpoints with their credentials as mounted files, the cluster's name) with
`.Values.config` merged over it. Only settings of the agent's configuration reference are written: the agent exits 1
on a key it does not know.
*/}}
{{- define "vedetta.config" -}}
{{- $allowedRoots := list "/var/log/pods" "/var/log/containers" }}
{{- with .Values.hostPaths.dockerContainers }}
{{- $allowedRoots = append $allowedRoots . }}
{{- end }}
{{- $config := dict
  "http" (dict "port" 9102)
  "kubernetes" (dict "enabled" true)
  "logs" (dict "enabled" true "paths" (list "/var/log/containers/*.log") "allowedRoots" $allowedRoots "stateDir" "/var/lib/vedetta")
  "elasticsearch" (dict "urls" .Values.elasticsearch.urls)
  "metrics" (dict "hostRoot" "/host")
  "cluster" (dict "enabled" true "leaseName" (printf "%s-cluster-leader" (include "vedetta.fullname" .) | trunc 63 | trimSuffix "-")) }}
{{- if .Values.elasticsearch.basicAuth.enabled }}
{{- $_ := set $config.elasticsearch "usernameFile" "/var/run/secrets/vedetta/elasticsearch/username" }}
{{- $_ := set $config.elasticsearch "passwordFile" "/var/run/secrets/vedetta/elasticsearch/password" }}
{{- end }}
{{- with .Values.remoteWrite }}
{{- $endpoints := list }}
{{- range $i, $e := . }}
{{- $endpoint := dict "url" (required (printf "remoteWrite[%d].url is required" $i) $e.url) }}
{{- range $key := list "name" "timeout" "headers" "writeRelabelConfigs" "queue" }}
{{- if hasKey $e $key }}
{{- $_ := set $endpoint $key (get $e $key) }}
{{- end }}
{{- end }}
{{- $files := printf "/var/run/secrets/vedetta/remote-write/%d" $i }}
{{- if dig "basicAuth" "existingSecret" "" $e }}
{{- $_ := set $endpoint "basicAuth" (dict "usernameFile" (printf "%s/username" $files) "passwordFile" (printf "%s/password" $files)) }}
{{- end }}
{{- if dig "bearerToken" "existingSecret" "" $e }}
{{- $_ := set $endpoint "bearerTokenFile" (printf "%s/token" $files) }}
{{- end }}
{{- $tls := dict }}
{{- if dig "tls" "caSecret" "" $e }}
{{- $_ := set $tls "caFile" (printf "%s/ca.crt" $files) }}
{{- end }}
{{- if dig "tls" "insecureSkipVerify" false $e }}
{{- $_ := set $tls "insecureSkipVerify" true }}
{{- end }}
{{- if $tls }}
{{- $_ := set $endpoint "tls" $tls }}
{{- end }}
{{- $endpoints = append $endpoints $endpoint }}
{{- end }}
{{- $_ := set $config "remoteWrite" (dict "endpoints" $endpoints) }}
{{- end }}
{{- if .Values.clusterName }}
{{- $remote := default dict $config.remoteWrite }}
{{- $_ := set $remote "externalLabels" (dict "cluster" .Values.clusterName) }}
{{- $_ := set $config "remoteWrite" $remote }}
{{- end }}
{{- if .Values.elasticsearch.bootstrap.enabled }}
{{- /* The bootstrap Job installs the templates: the agents' credentials need not be allowed to. */}}
{{- $_ := set $config.elasticsearch "template" (dict "install" false) }}
{{- end }}
{{- include "vedetta.mergeInto" (dict "dst" $config "src" (deepCopy .Values.config)) }}
{{- /* The kubelet serving certificate is trusted where the chart mounts it, unless the configuration says otherwise. */}}
{{- $metrics := $config.metrics }}
{{- if not (kindIs "map" $metrics.kubelet) }}
{{- $_ := set $metrics "kubelet" dict }}
{{- end }}
{{- if not (hasKey $metrics.kubelet "servingCertFile") }}
{{- $cert := "" }}
{{- with .Values.hostPaths.kubeletServingCert }}
{{- $cert = printf "%s%s" (trimSuffix "/" (toString $metrics.hostRoot)) . }}
{{- end }}
{{- $_ := set $metrics.kubelet "servingCertFile" $cert }}
{{- end }}
{{- toYaml $config }}
{{- end }}

{{/*
The ClusterRole's rules, exactly what the configured parts call: the pod informer (and the namespace
informer for namespace labels), and the kubelet endpoints the enabled metric sources read. The kubelet
authorizes /metrics* as nodes/metrics and /stats/* as nodes/stats; through the API server's node proxy
every path is nodes/proxy. Defaults here are the agent's own defaults.
*/}}
{{- define "vedetta.rbacRules" -}}
{{- $config := include "vedetta.config" . | fromYaml }}
{{- if dig "kubernetes" "enabled" true $config }}
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
{{- if dig "kubernetes" "namespaceLabels" false $config }}
- apiGroups: [""]
  resources: ["namespaces"]
  verbs: ["get", "list", "watch"]
{{- end }}
{{- if include "vedetta.clusterCollector" . }}
{{- if dig "cluster" "metrics" "enabled" true $config }}
- apiGroups: [""]
  resources: {{ toJson (concat (list "nodes" "persistentvolumeclaims") (ternary (list) (list "namespaces") (dig "kubernetes" "namespaceLabels" false $config))) }}
  verbs: ["list", "watch"]
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets", "daemonsets", "replicasets"]
  verbs: ["list", "watch"]
- apiGroups: ["batch"]
  resources: ["jobs", "cronjobs"]
  verbs: ["list", "watch"]
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["list", "watch"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["list", "watch"]
{{- end }}
{{- if dig "cluster" "events" "enabled" true $config }}
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["list", "watch"]
{{- end }}
{{- end }}
{{- end }}
{{- if dig "metrics" "kubelet" "enabled" (dig "kubernetes" "enabled" true $config) $config }}
{{- $sources := dig "metrics" "kubelet" "sources" dict $config }}
{{- if eq (dig "metrics" "kubelet" "via" "direct" $config) "apiserver" }}
- apiGroups: [""]
  resources: ["nodes/proxy"]
  verbs: ["get"]
{{- else }}
{{- $subresources := list }}
{{- if or (dig "cadvisor" true $sources) (dig "resource" false $sources) (dig "kubelet" true $sources) }}
{{- $subresources = append $subresources "nodes/metrics" }}
{{- end }}
{{- if dig "summary" false $sources }}
{{- $subresources = append $subresources "nodes/stats" }}
{{- end }}
{{- if $subresources }}
- apiGroups: [""]
  resources: {{ toJson $subresources }}
  verbs: ["get"]
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* "true" when the agents elect a cluster collector (cluster.enabled with the Kubernetes API), else empty. */}}
{{- define "vedetta.clusterCollector" -}}
{{- $config := include "vedetta.config" . | fromYaml }}
{{- if and (dig "kubernetes" "enabled" true $config) (dig "cluster" "enabled" false $config) }}true{{ end }}
{{- end }}

{{/* The cluster collector's Lease. */}}
{{- define "vedetta.leaseName" -}}
{{- $config := include "vedetta.config" . | fromYaml }}
{{- dig "cluster" "leaseName" "vedetta-cluster-leader" $config }}
{{- end }}

{{/* Whether the Elasticsearch basic-auth Secret is mounted, and its name. */}}
{{- define "vedetta.elasticsearchSecretName" -}}
{{- default (printf "%s-elasticsearch" (include "vedetta.fullname" .)) .Values.elasticsearch.basicAuth.existingSecret }}
{{- end }}
