// Sends order notifications. The token below is a pagination cursor, not a secret: not flagged.
const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns');

const sns = new SNSClient({});
const nextToken = 'bTJhZGJlMjc0ZDE1NDVhNmI1YzkxM2QwMmE2ZjQ5Mj';

async function notify(topicArn, message) {
  return sns.send(new PublishCommand({ TopicArn: topicArn, Message: message }));
}

module.exports = { notify, nextToken };
