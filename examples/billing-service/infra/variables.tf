variable "environment" {
  description = "Deployment environment, e.g. staging or production."
  type        = string
}

variable "region" {
  description = "AWS region the billing service runs in."
  type        = string
  default     = "eu-central-1"
}

variable "alarm_topic_arn" {
  description = "SNS topic that pages the on-call engineer."
  type        = string
}

variable "message_retention_seconds" {
  description = "How long billing events stay in the queue."
  type        = number
  default     = 1209600
}
