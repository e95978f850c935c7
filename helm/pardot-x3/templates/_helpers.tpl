{{/*
Names and labels (Helm best practices: app.kubernetes.io/* labels, a stable selector subset).
*/}}
{{- define "pardot-x3.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "pardot-x3.fullname" -}}
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

{{/* Name of a per-component resource: <fullname>-<component>, at most 63 characters. */}}
{{- define "pardot-x3.componentName" -}}
{{- printf "%s-%s" (include "pardot-x3.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "pardot-x3.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "pardot-x3.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pardot-x3.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "pardot-x3.labels" -}}
helm.sh/chart: {{ include "pardot-x3.chart" . }}
{{ include "pardot-x3.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: pardot-x3
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Labels of one component; call with (dict "root" $ "component" "mdm"). */}}
{{- define "pardot-x3.componentLabels" -}}
{{ include "pardot-x3.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "pardot-x3.componentSelectorLabels" -}}
{{ include "pardot-x3.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "pardot-x3.annotations" -}}
{{- with .Values.commonAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "pardot-x3.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "pardot-x3.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "pardot-x3.image" -}}
{{- $repo := printf "%s/%s" .Values.image.registry .Values.image.repository | trimPrefix "/" }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" $repo .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" $repo (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
Keys and values of the chart-created Secret: `secrets.values`, plus `database-url` from `database.url`.
*/}}
{{- define "pardot-x3.secretValues" -}}
{{- $values := deepCopy (.Values.secrets.values | default dict) }}
{{- with .Values.database.url }}
{{- if $.Values.secrets.existingSecret }}
{{- fail "database.url cannot be used with secrets.existingSecret: put the URL in that Secret (key database-url)" }}
{{- end }}
{{- $_ := set $values "database-url" . }}
{{- end }}
{{- toYaml $values }}
{{- end }}

{{/* The Secret every secret variable comes from unless a variable names another one. */}}
{{- define "pardot-x3.secretName" -}}
{{- default (include "pardot-x3.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/*
The enabled services, merged with `defaults`, as a YAML map name → settings.
Usage: {{- $services := include "pardot-x3.services" . | fromYaml }}
*/}}
{{- define "pardot-x3.services" -}}
{{- $out := dict }}
{{- range $name, $svc := .Values.services }}
{{- if $svc.enabled }}
{{- $_ := set $out $name (mergeOverwrite (deepCopy $.Values.defaults) (deepCopy $svc)) }}
{{- end }}
{{- end }}
{{- toYaml $out }}
{{- end }}

{{- define "pardot-x3.sandboxUrl" -}}
{{- printf "http://%s:%v" (include "pardot-x3.componentName" (dict "root" .root "component" (printf "sandbox-%s" .system))) (get .root.Values.sandboxes.ports .system) }}
{{- end }}

{{/*
Plain (non-secret) settings of one service, as a map variable → value. One definition serves the
services' ConfigMaps and the hook Jobs. Call with (dict "root" $ "svc" $settings) where $settings may
be empty (the Jobs: Kafka, registry and database settings only).
*/}}
{{- define "pardot-x3.plainEnv" -}}
{{- $root := .root }}
{{- $v := $root.Values }}
{{- $svc := .svc | default dict }}
{{- $env := dict }}
{{- if not $v.kafka.brokers }}{{ fail "kafka.brokers is required: the Kafka bootstrap servers, e.g. kafka-0.kafka:9092" }}{{ end }}
{{- if not $v.schemaRegistry.url }}{{ fail "schemaRegistry.url is required: the Confluent-compatible registry URL, e.g. http://apicurio:8080/apis/ccompat/v7" }}{{ end }}
{{- $_ := set $env "KAFKA_BROKERS" $v.kafka.brokers }}
{{- $_ := set $env "KAFKA_SSL" (ternary "true" "false" $v.kafka.ssl) }}
{{- if include "pardot-x3.kafkaCa" $root }}
{{- $_ := set $env "KAFKA_SSL_CA_FILE" (printf "/etc/pardot-x3/kafka-ca/%s" $v.kafka.ca.key) }}
{{- end }}
{{- with $v.kafka.sasl.mechanism }}
{{- $_ := set $env "KAFKA_SASL_MECHANISM" . }}
{{- $_ := set $env "KAFKA_SASL_USERNAME" (required "kafka.sasl.username is required when kafka.sasl.mechanism is set" $v.kafka.sasl.username) }}
{{- end }}
{{- $_ := set $env "PX3_TOPIC_NAMESPACE" $v.topicNamespace }}
{{- $_ := set $env "SCHEMA_REGISTRY_URL" $v.schemaRegistry.url }}
{{- with $v.schemaRegistry.username }}{{ $_ := set $env "SCHEMA_REGISTRY_USERNAME" . }}{{ end }}
{{- $_ := set $env "LOG_LEVEL" $v.logLevel }}
{{- if $svc }}
{{- $_ := set $env "PORT" (toString $v.containerPort) }}
{{- /* Services bind 127.0.0.1 unless told otherwise: in a pod they listen on every interface. */}}
{{- $_ := set $env "HOST" "0.0.0.0" }}
{{- $_ := set $env "PX3_VERSION" (default $root.Chart.AppVersion $v.image.tag) }}
{{- $_ := set $env "SHUTDOWN_GRACE_MS" (toString (mul $v.shutdownGraceSeconds 1000)) }}
{{- with $svc.nodeOptions }}{{ $_ := set $env "NODE_OPTIONS" . }}{{ end }}
{{- if $svc.usesDatabase }}{{ $_ := set $env "DATABASE_POOL_SIZE" (toString $v.database.poolSize) }}{{ end }}
{{- if has "salesforce" $svc.connectors }}
{{- $_ := set $env "SALESFORCE_LOGIN_URL" (include "pardot-x3.connectorUrl" (dict "root" $root "system" "salesforce" "url" $v.connectors.salesforce.loginUrl)) }}
{{- $_ := set $env "SALESFORCE_CLIENT_ID" (required "connectors.salesforce.clientId is required: the connected app's consumer key" $v.connectors.salesforce.clientId) }}
{{- if eq $v.connectors.salesforce.authFlow "jwt-bearer" }}
{{- $_ := set $env "SALESFORCE_USERNAME" (required "connectors.salesforce.username is required with the jwt-bearer flow: the integration user" $v.connectors.salesforce.username) }}
{{- end }}
{{- end }}
{{- if has "pardot" $svc.connectors }}
{{- $_ := set $env "PARDOT_BASE_URL" (include "pardot-x3.connectorUrl" (dict "root" $root "system" "pardot" "url" $v.connectors.pardot.baseUrl)) }}
{{- $_ := set $env "PARDOT_BUSINESS_UNIT_ID" $v.connectors.pardot.businessUnitId }}
{{- end }}
{{- if has "x3" $svc.connectors }}
{{- $_ := set $env "X3_BASE_URL" (include "pardot-x3.connectorUrl" (dict "root" $root "system" "x3" "url" $v.connectors.x3.baseUrl)) }}
{{- $_ := set $env "X3_FOLDER" $v.connectors.x3.folder }}
{{- $_ := set $env "X3_USERNAME" $v.connectors.x3.username }}
{{- end }}
{{- range $name, $value := $svc.env }}{{ $_ := set $env $name (toString $value) }}{{ end }}
{{- end }}
{{- range $name, $value := $v.env }}{{ $_ := set $env $name (toString $value) }}{{ end }}
{{- toYaml $env }}
{{- end }}

{{- define "pardot-x3.connectorUrl" -}}
{{- if .url }}
{{- .url }}
{{- else if .root.Values.sandboxes.enabled }}
{{- include "pardot-x3.sandboxUrl" (dict "root" .root "system" .system) }}
{{- else }}
{{- fail (printf "connectors.%s URL is required (or set sandboxes.enabled=true for a demo install)" .system) }}
{{- end }}
{{- end }}

{{/*
Secret variables of one service (or of a hook Job: svc empty, `database` true for the migrations), as
a map variable → {name, key}. `secretName` replaces the release Secret (the hooks' copy of it).
*/}}
{{- define "pardot-x3.secretEnv" -}}
{{- $root := .root }}
{{- $v := $root.Values }}
{{- $svc := .svc | default dict }}
{{- $secret := .secretName | default (include "pardot-x3.secretName" $root) }}
{{- $env := dict }}
{{- if $v.kafka.sasl.mechanism }}{{ $_ := set $env "KAFKA_SASL_PASSWORD" (dict "name" $secret "key" "kafka-sasl-password") }}{{ end }}
{{- if $v.schemaRegistry.username }}{{ $_ := set $env "SCHEMA_REGISTRY_PASSWORD" (dict "name" $secret "key" "schema-registry-password") }}{{ end }}
{{- if or $svc.usesDatabase .database }}{{ $_ := set $env "DATABASE_URL" (dict "name" $secret "key" "database-url") }}{{ end }}
{{- if has "salesforce" ($svc.connectors | default list) }}
{{- if eq $v.connectors.salesforce.authFlow "client-credentials" }}
{{- $_ := set $env "SALESFORCE_CLIENT_SECRET" (dict "name" $secret "key" "salesforce-client-secret") }}
{{- else }}
{{- $_ := set $env "SALESFORCE_PRIVATE_KEY" (dict "name" $secret "key" "salesforce-private-key") }}
{{- end }}
{{- end }}
{{- if has "x3" ($svc.connectors | default list) }}{{ $_ := set $env "X3_PASSWORD" (dict "name" $secret "key" "x3-password") }}{{ end }}
{{- range $name, $ref := $svc.secretEnv }}
{{- if kindIs "string" $ref }}
{{- $_ := set $env $name (dict "name" $secret "key" $ref) }}
{{- else }}
{{- $_ := set $env $name (dict "name" (required (printf "secretEnv.%s.name is required" $name) $ref.name) "key" (required (printf "secretEnv.%s.key is required" $name) $ref.key)) }}
{{- end }}
{{- end }}
{{- toYaml $env }}
{{- end }}

{{/* Renders a map variable → {name, key} as EnvVar objects. */}}
{{- define "pardot-x3.secretEnvVars" -}}
{{- range $name, $ref := . }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $ref.name }}
      key: {{ $ref.key }}
{{- end }}
{{- end }}

{{/* Renders a map variable → value as EnvVar objects. */}}
{{- define "pardot-x3.plainEnvVars" -}}
{{- range $name, $value := . }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end }}

{{- define "pardot-x3.terminationGracePeriodSeconds" -}}
{{- add .Values.shutdownGraceSeconds .Values.terminationGraceExtraSeconds }}
{{- end }}

{{/* Volumes every pod mounts: a writable /tmp (the root file system is read-only) and optionally config/. */}}
{{- define "pardot-x3.mappingConfigMapName" -}}
{{- if .Values.mappingConfig.existingConfigMap }}
{{- .Values.mappingConfig.existingConfigMap }}
{{- else if .Values.mappingConfig.files }}
{{- include "pardot-x3.componentName" (dict "root" . "component" "mapping-config") }}
{{- end }}
{{- end }}

{{/* One container of a hook Job: (dict "root" $ "container" {name, args} "plainEnv" map "secretEnv" map). */}}
{{- define "pardot-x3.hookContainer" -}}
- name: {{ .container.name }}
  image: {{ include "pardot-x3.image" .root }}
  imagePullPolicy: {{ .root.Values.image.pullPolicy }}
  args:
    {{- toYaml .container.args | nindent 4 }}
  env:
    {{- include "pardot-x3.plainEnvVars" .plainEnv | trim | nindent 4 }}
    {{- include "pardot-x3.secretEnvVars" .secretEnv | trim | nindent 4 }}
    {{- with .root.Values.extraEnv }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  resources:
    {{- toYaml .root.Values.hooks.resources | nindent 4 }}
  securityContext:
    {{- toYaml .root.Values.containerSecurityContext | nindent 4 }}
  volumeMounts:
    - name: tmp
      mountPath: /tmp
    {{- with include "pardot-x3.kafkaCaVolumeMount" .root }}{{ . | trim | nindent 4 }}{{ end }}
{{- end }}

{{/*
The Kafka CA (kafka.ca): "secret" or "configMap" when one is set, else empty. Both set, or a CA without
kafka.ssl, fail the render.
*/}}
{{- define "pardot-x3.kafkaCa" -}}
{{- $ca := .Values.kafka.ca | default dict }}
{{- if and $ca.secretName $ca.configMapName }}
{{- fail "kafka.ca: set secretName or configMapName, not both" }}
{{- end }}
{{- if and (or $ca.secretName $ca.configMapName) (not .Values.kafka.ssl) }}
{{- fail "kafka.ca is set but kafka.ssl is false: set kafka.ssl=true to connect to Kafka over TLS" }}
{{- end }}
{{- if $ca.secretName }}secret{{ else if $ca.configMapName }}configMap{{ end }}
{{- end }}

{{/* The pod volume of the Kafka CA (a list item, or nothing). */}}
{{- define "pardot-x3.kafkaCaVolume" -}}
{{- $kind := include "pardot-x3.kafkaCa" . }}
{{- $ca := .Values.kafka.ca }}
{{- if eq $kind "secret" }}
- name: kafka-ca
  secret:
    secretName: {{ $ca.secretName }}
    items:
      - key: {{ $ca.key }}
        path: {{ $ca.key }}
{{- else if eq $kind "configMap" }}
- name: kafka-ca
  configMap:
    name: {{ $ca.configMapName }}
    items:
      - key: {{ $ca.key }}
        path: {{ $ca.key }}
{{- end }}
{{- end }}

{{/* The container mount of the Kafka CA (a list item, or nothing): KAFKA_SSL_CA_FILE is in it. */}}
{{- define "pardot-x3.kafkaCaVolumeMount" -}}
{{- if include "pardot-x3.kafkaCa" . }}
- name: kafka-ca
  mountPath: /etc/pardot-x3/kafka-ca
  readOnly: true
{{- end }}
{{- end }}
