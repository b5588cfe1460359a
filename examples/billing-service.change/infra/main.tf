# Billing service infrastructure (regenerated).

terraform {
  required_version = ">= 1.7.0"
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.60.0" }
  }
  backend "s3" {
    bucket         = "acme-terraform-state"
    key            = "billing/${terraform.workspace}.tfstate"
    region         = "eu-central-1"
    dynamodb_table = "terraform-locks"
  }
}

locals {
  prefix = "billing-${var.environment}"
}

provider "aws" {
  region = coalesce(var.region, "eu-central-1")
  default_tags {
    tags = { Service = "billing", Environment = var.environment, ManagedBy = "terraform" }
  }
}

# Sized for exponential backoff: a message may wait up to maxDelayMs x maxAttempts.
resource "aws_sqs_queue" "retry" {
  name                              = "${local.prefix}-retry"
  delay_seconds                     = 5
  visibility_timeout_seconds        = 180
  receive_wait_time_seconds         = 20
  message_retention_seconds         = var.message_retention_seconds
  kms_master_key_id                 = "alias/aws/sqs"
  kms_data_key_reuse_period_seconds = 300
}

resource "aws_sqs_queue" "retry_dead_letters" {
  name                              = "${local.prefix}-retry-dlq"
  message_retention_seconds         = var.message_retention_seconds
  kms_master_key_id                 = "alias/aws/sqs"
  kms_data_key_reuse_period_seconds = 300
}

resource "aws_sqs_queue_redrive_policy" "retry" {
  queue_url      = aws_sqs_queue.retry.id
  redrive_policy = jsonencode({ deadLetterTargetArn = aws_sqs_queue.retry_dead_letters.arn, maxReceiveCount = 8 })
}

resource "aws_cloudwatch_metric_alarm" "retry_dead_letters" {
  alarm_name                = "${local.prefix}-retry-dlq-visible"
  alarm_description         = "Billing retries exhausted: messages reached the dead-letter queue."
  namespace                 = "AWS/SQS"
  metric_name               = "ApproximateNumberOfMessagesVisible"
  dimensions                = { QueueName = aws_sqs_queue.retry_dead_letters.name }
  statistic                 = "Sum"
  period                    = 60
  evaluation_periods        = 5
  threshold                 = 10
  comparison_operator       = "GreaterThanOrEqualToThreshold"
  treat_missing_data        = "notBreaching"
  alarm_actions             = [var.alarm_topic_arn]
  insufficient_data_actions = [var.alarm_topic_arn]
}

output "retry_queue_url" { value = aws_sqs_queue.retry.url }
output "retry_dlq_arn" { value = aws_sqs_queue.retry_dead_letters.arn }
